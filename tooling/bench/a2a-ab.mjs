#!/usr/bin/env node
// A/B of two builds of @molecule/a2a-server (e.g. the dist of an earlier commit against the current
// one) and the floor, interleaved round by round so background load hits all three alike. Prints the
// median per-round ratios. A build of an earlier commit, e.g.:
//   cd packages/a2a-server && mkdir .old && git archive <commit> src | tar -x -C .old &&
//   npx tsup .old/src/index.ts --format esm --out-dir .old/dist --no-dts
// Usage: node a2a-ab.mjs --old <path to index.js> [--new <path>] [--rounds 7] [--seconds 1.5]
import { loadavg } from 'node:os'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { load, probe, spawnTarget } from './a2a-load.mjs'
import { serveTarget } from './a2a-targets.mjs'

const { values } = parseArgs({
  options: {
    serve: { type: 'string' },
    old: { type: 'string' },
    new: { type: 'string' },
    rounds: { type: 'string', default: '7' },
    seconds: { type: 'string', default: '1.5' },
  },
})

if (values.serve)
  await serveTarget(values.serve) // 'floor', or a path to a build's index.js
else {
  if (!values.old) throw new Error('--old <path to a built index.js> is required')
  const self = fileURLToPath(import.meta.url)
  const dists = {
    old: values.old,
    new: values.new ?? fileURLToPath(new URL('../../packages/a2a-server/dist/index.js', import.meta.url)),
  }
  const names = ['old', 'new', 'floor']
  const spawn = (n) => spawnTarget(n === 'floor' ? 'floor' : dists[n], self)
  const targets = {}
  for (const n of names) targets[n] = await spawn(n)
  const rps = { old: [], new: [], floor: [] }
  // Server CPU per request: steadier than req/s on a shared machine (it does not move with how busy
  // the load generator's core is), though it misses what the kernel does for the client.
  const cpuUs = { old: [], new: [], floor: [] }
  const cpuTime = async (t) => {
    const { user, system } = await t.cpu()
    return user + system
  }
  try {
    for (const n of names) {
      await probe(targets[n].port)
      await load(targets[n].port, { connections: 20, seconds: 1 })
    }
    console.log(
      `load average before: ${loadavg()
        .map((x) => x.toFixed(2))
        .join(' ')}`,
    )
    for (let i = 0; i < Number(values.rounds); i++)
      for (const n of i % 2 ? ['new', 'old', 'floor'] : ['old', 'new', 'floor']) {
        const before = await cpuTime(targets[n])
        const r = await load(targets[n].port, { connections: 20, seconds: Number(values.seconds) })
        cpuUs[n].push(((await cpuTime(targets[n])) - before) / r.requests)
        rps[n].push(r.rps)
      }
  } finally {
    for (const n of names) targets[n].stop()
  }
  const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1]
  const ratio = (a, b) => median(rps[a].map((x, i) => x / rps[b][i])).toFixed(3)
  console.log(
    `new/old ${ratio('new', 'old')}   old/floor ${ratio('old', 'floor')}   new/floor ${ratio('new', 'floor')}`,
  )
  console.log(`new/old per round: ${rps.new.map((x, i) => (x / rps.old[i]).toFixed(2)).join(' ')}`)
  console.log(
    `server CPU µs/request (median): ${names.map((n) => `${n} ${median(cpuUs[n]).toFixed(2)}`).join('   ')}`,
  )
  console.log(
    `load average after: ${loadavg()
      .map((x) => x.toFixed(2))
      .join(' ')}`,
  )
}
