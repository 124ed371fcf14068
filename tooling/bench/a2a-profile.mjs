#!/usr/bin/env node
// Profiles one A2A target under `message/send` load: the server runs in a child process with
// `--cpu-prof` (and optionally `--trace-gc`), this process drives load, then asks it to exit cleanly so
// the profile is written. Prints the heaviest self-time functions and a GC summary.
// Usage: node a2a-profile.mjs [--target ours] [--seconds 5] [--connections 20] [--dir /tmp/a2a-prof] [--trace-gc]
import { mkdirSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { load, probe, spawnTarget } from './a2a-load.mjs'
import { serveTarget } from './a2a-targets.mjs'

const { values } = parseArgs({
  options: {
    serve: { type: 'string' },
    target: { type: 'string', default: 'ours' },
    seconds: { type: 'string', default: '5' },
    connections: { type: 'string', default: '20' },
    dir: { type: 'string', default: '/tmp/a2a-prof' },
    'trace-gc': { type: 'boolean', default: false },
    // No profiler: report the server's CPU time per request instead (steadier than req/s on a busy machine).
    'cpu-only': { type: 'boolean', default: false },
  },
})

if (values.serve) {
  process.on('message', (msg) => msg === 'exit' && process.exit(0))
  await serveTarget(values.serve)
} else {
  const dir = join(values.dir, `${values.target}-${Date.now()}`)
  mkdirSync(dir, { recursive: true })
  const execArgv = values['cpu-only'] ? [] : ['--cpu-prof', `--cpu-prof-dir=${dir}`]
  if (values['trace-gc']) execArgv.push('--trace-gc')
  const t = await spawnTarget(values.target, fileURLToPath(import.meta.url), execArgv)
  await probe(t.port)
  await load(t.port, { connections: Number(values.connections), seconds: 1 })
  const before = await t.cpu()
  const r = await load(t.port, { connections: Number(values.connections), seconds: Number(values.seconds) })
  const after = await t.cpu()
  const us = (after.user + after.system - before.user - before.system) / r.requests
  console.log(
    `${values.target}: ${r.rps.toFixed(0)} req/s  p99 ${r.p99.toFixed(2)} ms  server CPU ${us.toFixed(1)} µs/request` +
      `  (user ${((after.user - before.user) / r.requests).toFixed(1)})`,
  )
  if (values['cpu-only']) {
    t.stop()
    process.exit(0)
  }
  await new Promise((resolve) => {
    t.child.once('exit', resolve)
    t.child.send('exit')
  })
  const file = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'))
  const profile = JSON.parse(readFileSync(join(dir, file), 'utf8'))
  const self = new Map()
  const dt = profile.timeDeltas
  const byId = new Map(profile.nodes.map((n) => [n.id, n]))
  for (let i = 0; i < profile.samples.length; i++) {
    const n = byId.get(profile.samples[i])
    const cf = n.callFrame
    const key = `${cf.functionName || '(anon)'} ${cf.url.split('/').slice(-2).join('/')}:${cf.lineNumber + 1}`
    self.set(key, (self.get(key) ?? 0) + (dt[i] ?? 0))
  }
  const total = [...self.values()].reduce((a, b) => a + b, 0)
  const top = [...self.entries()].sort((a, b) => b[1] - a[1]).slice(0, 40)
  for (const [k, v] of top) console.log(`${((100 * v) / total).toFixed(1).padStart(5)}%  ${k}`)
  console.log(`profile: ${join(dir, file)}`)
}
