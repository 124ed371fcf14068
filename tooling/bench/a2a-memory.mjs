#!/usr/bin/env node
// RSS growth of @molecule/a2a-server (built dist) across N completed `message/send` tasks (default
// 100,000). The server runs in a child process with --expose-gc; RSS is read after a GC before and
// after the run. Pass --with-sdk to measure @a2a-js/sdk's InMemoryTaskStore the same way.
// Usage: node a2a-memory.mjs [--tasks 100000] [--with-sdk]
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { load, probe, spawnTarget } from './a2a-load.mjs'
import { serveTarget } from './a2a-targets.mjs'

const { values } = parseArgs({
  options: {
    serve: { type: 'string' },
    tasks: { type: 'string', default: '100000' },
    'with-sdk': { type: 'boolean', default: false },
  },
})

async function measure(name, tasks, self) {
  const target = await spawnTarget(name, self, ['--expose-gc'])
  try {
    await probe(target.port)
    // Warm up with the same load shape as the run, so the baseline already includes V8's grown
    // young generation and the allocator's steady state; what remains is growth per task.
    await load(target.port, { connections: 20, seconds: 2 })
    const before = await target.memory()
    let done = 0
    const t0 = performance.now()
    // Load in short slices until N tasks have completed (the loop is time-bounded, not count-bounded).
    while (done < tasks) {
      const r = await load(target.port, { connections: 20, seconds: 0.5 })
      done += r.requests
      if (performance.now() - t0 > 60_000) break
    }
    const after = await target.memory()
    const mb = (b) => (b / 1024 / 1024).toFixed(1)
    console.log(
      `${name.padEnd(4)}  ${done} tasks in ${((performance.now() - t0) / 1000).toFixed(1)} s:  RSS ${mb(before.rss)} -> ${mb(after.rss)} MB  (growth ${mb(after.rss - before.rss)} MB)  heapUsed ${mb(before.heapUsed)} -> ${mb(after.heapUsed)} MB  heapTotal ${mb(before.heapTotal)} -> ${mb(after.heapTotal)} MB  external ${mb(before.external)} -> ${mb(after.external)} MB`,
    )
    return after.rss - before.rss
  } finally {
    target.stop()
  }
}

if (values.serve) {
  await serveTarget(values.serve)
} else {
  const self = fileURLToPath(import.meta.url)
  const tasks = Number(values.tasks)
  const growth = await measure('ours', tasks, self)
  if (values['with-sdk']) await measure('sdk', tasks, self)
  console.log(`\nours RSS growth = ${(growth / 1024 / 1024).toFixed(1)} MB   (target <= 50 MB)`)
}
