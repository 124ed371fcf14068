// Figures, checks on process output, and the table the run prints.
import { cpus, loadavg } from 'node:os'

/** A JS stack frame as Node prints it ("    at fn (file.js:1:2)"). */
const STACK = /\n\s+at .+[:(].*\d+:\d+\)?/

export function hasStackTrace(text) {
  return STACK.test(text)
}

/** Secrets planted in the run: none of them, nor an 8-character piece of one, may show in any output. */
export function leakedSecrets(text, secrets) {
  return secrets.filter((secret) => {
    if (text.includes(secret)) return true
    for (let i = 0; i + 12 <= secret.length; i += 6) if (text.includes(secret.slice(i, i + 12))) return true
    return false
  }).length
}

/** Least-squares slope of (t, y) points, per minute when t is in ms. */
export function slopePerMinute(points) {
  const n = points.length
  if (n < 2) return 0
  const mt = points.reduce((s, p) => s + p.t, 0) / n
  const my = points.reduce((s, p) => s + p.y, 0) / n
  let num = 0
  let den = 0
  for (const p of points) {
    num += (p.t - mt) * (p.y - my)
    den += (p.t - mt) ** 2
  }
  return den === 0 ? 0 : (num / den) * 60_000
}

export function percentile(values, p) {
  if (values.length === 0) return 0
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]
}

/** One figure: `ok` false fails the run. */
export function row(scenario, figure, value, target, ok) {
  return { scenario, figure, value: String(value), target, ok }
}

export function machineLine() {
  const [one, five] = loadavg()
  return `${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC, ${cpus().length} cores, load ${one.toFixed(2)} / ${five.toFixed(2)} (1 / 5 min), node ${process.version}`
}

export function renderTable(rows) {
  const head = ['scenario', 'figure', 'value', 'target', 'ok']
  const cells = rows.map((r) => [r.scenario, r.figure, r.value, r.target, r.ok ? 'yes' : 'NO'])
  const widths = head.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i].length)))
  const line = (c) => `| ${c.map((v, i) => v.padEnd(widths[i])).join(' | ')} |`
  return [line(head), `| ${widths.map((w) => '-'.repeat(w)).join(' | ')} |`, ...cells.map(line)].join('\n')
}
