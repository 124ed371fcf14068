#!/usr/bin/env node
// A2A `message/send` throughput and latency, side by side in one run:
//   ours  = @molecule/a2a-server (built dist) with an echo executor
//   sdk   = @a2a-js/sdk's official Express server (DefaultRequestHandler, v0.3 compat) with an echo executor
//   floor = a bare hono route returning a fixed task
// Each server runs in its own process while this process drives load (raw keep-alive sockets).
// Usage: node a2a-throughput.mjs [--seconds 6] [--connections 20] [--rounds 5]  (seconds per target, split over rounds)
import { cpus, loadavg } from 'node:os'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { load, probe, spawnTarget } from './a2a-load.mjs'
import { serveTarget } from './a2a-targets.mjs'

const { values } = parseArgs({
  options: {
    serve: { type: 'string' },
    seconds: { type: 'string', default: '6' },
    connections: { type: 'string', default: '20' },
    rounds: { type: 'string', default: '5' },
  },
})

if (values.serve) {
  await serveTarget(values.serve)
} else {
  const seconds = Number(values.seconds)
  const connections = Number(values.connections)
  const rounds = Number(values.rounds)
  const self = fileURLToPath(import.meta.url)
  const names = ['ours', 'sdk', 'floor']
  // All three servers idle in their own processes; rounds alternate between them so a burst of
  // background load on this shared machine hurts every target alike. The median round is reported,
  // and ratios are the median of per-round ratios.
  const targets = Object.fromEntries(
    await Promise.all(names.map(async (n) => [n, await spawnTarget(n, self)])),
  )
  // Results depend on what else the machine is doing: say so next to them.
  const load1 = () =>
    loadavg()
      .map((x) => x.toFixed(2))
      .join(' ')
  console.log(`node ${process.version}, ${cpus().length} cores, load average before: ${load1()}`)
  // Of numbers, or of objects by `key`.
  const median = (xs, key) => {
    const value = key === undefined ? (x) => x : (x) => x[key]
    return [...xs].sort((a, b) => value(a) - value(b))[Math.floor(xs.length / 2)]
  }
  const rows = {}
  try {
    for (const n of names) {
      await probe(targets[n].port)
      await load(targets[n].port, { connections, seconds: 1 }) // warm-up (JIT, pools)
    }
    const many = Object.fromEntries(names.map((n) => [n, []]))
    const one = Object.fromEntries(names.map((n) => [n, []]))
    // ours and floor back to back, so their per-round ratio compares like with like.
    for (let r = 0; r < rounds; r++)
      for (const n of ['ours', 'floor', 'sdk']) {
        const before = await targets[n].cpu()
        const round = await load(targets[n].port, { connections, seconds: seconds / rounds })
        const after = await targets[n].cpu()
        round.cpuUs = (after.user + after.system - before.user - before.system) / round.requests
        many[n].push(round)
        one[n].push(await load(targets[n].port, { connections: 1, seconds: seconds / rounds / 2 }))
      }
    for (const n of names) {
      const m = median(many[n], 'rps')
      const o = median(one[n], 'rps')
      const errors = [...many[n], ...one[n]].reduce((a, x) => a + x.errors, 0)
      rows[n] = { many: m, one: o, rounds: many[n].map((x) => x.rps), cpu: many[n].map((x) => x.cpuUs) }
      console.log(
        `${n.padEnd(5)}  c=${connections}: ${m.rps.toFixed(0).padStart(6)} req/s  p50 ${m.p50.toFixed(2)} ms  p99 ${m.p99.toFixed(2)} ms` +
          `   |  c=1: ${o.rps.toFixed(0).padStart(6)} req/s  p50 ${o.p50.toFixed(3)} ms  p99 ${o.p99.toFixed(3)} ms` +
          (errors ? `  errors ${errors}` : ''),
      )
    }
  } finally {
    for (const n of names) targets[n].stop()
  }
  // Median of per-round ratios: rounds run back to back, so each pair shares the machine's load.
  // `field`: per-round req/s ('rounds') or server CPU µs per request ('cpu').
  const ratio = (a, b, field = 'rounds') => {
    const r = rows[a][field].map((x, i) => x / rows[b][field][i]).sort((p, q) => p - q)
    return `${median(r).toFixed(2)}x (rounds ${r[0].toFixed(2)}–${r.at(-1).toFixed(2)})`
  }
  console.log(`\nours/sdk   = ${ratio('ours', 'sdk')}   (target >= 3x)`)
  console.log(`ours/floor = ${ratio('ours', 'floor')}   (target >= 0.8x)`)
  console.log(`ours p99 at c=1 = ${rows.ours.one.p99.toFixed(3)} ms   (target <= 10 ms)`)
  // The same comparison by server CPU time per request at c=20: steadier than req/s on a shared
  // machine, and free of the kernel's cost of waking the (more often idle) load generator.
  const cpu = (n) => median(rows[n].cpu).toFixed(1)
  console.log(
    `server CPU µs/request (median): ours ${cpu('ours')}  floor ${cpu('floor')}  sdk ${cpu('sdk')}` +
      `  →  floor/ours ${ratio('floor', 'ours', 'cpu')}`,
  )
  console.log(`load average after: ${load1()}`)
}
