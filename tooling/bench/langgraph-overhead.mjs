#!/usr/bin/env node
// The LangGraph adapter's own cost per task, in the product: `molecule-runtime` processes registered with a dev
// platform (its own process), one with the echo adapter and two with `runtime: langgraph` driven by a scripted chat
// model (langgraph-scripted-adapter.mjs: no network, so what remains is the adapter — graph run, event streaming,
// artifact chunks, tool binding and trace). Interleaved rounds of `message/send`; prints req/s, p50, server CPU per
// task, and the adapter's overhead per task: langgraph minus echo, in CPU µs and in p50 latency.
// Usage: node langgraph-overhead.mjs [--seconds 6] [--connections 4] [--rounds 3]
import { cpus, loadavg } from 'node:os'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { load, probe } from './a2a-load.mjs'
import { expectedReply } from './langgraph-scripted-adapter.mjs'
import { processCpuUs, servePlatform, spawnPlatform, spawnRuntime } from './product-processes.mjs'

const { values } = parseArgs({
  options: {
    platform: { type: 'boolean', default: false },
    seconds: { type: 'string', default: '6' },
    connections: { type: 'string', default: '4' },
    rounds: { type: 'string', default: '3' },
  },
})

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]

if (values.platform) await servePlatform()
else await main()

async function main() {
  const seconds = Number(values.seconds)
  const connections = Number(values.connections)
  const rounds = Number(values.rounds)
  const self = fileURLToPath(import.meta.url)
  const adapterModule = fileURLToPath(new URL('./langgraph-scripted-adapter.mjs', import.meta.url))
  console.log(
    `node ${process.version}, ${cpus().length} cores, load average before: ${loadavg()
      .map((x) => x.toFixed(2))
      .join(' ')}`,
  )
  const platform = await spawnPlatform(self)
  const started = []
  try {
    const spawn = async (name, options, reply) => {
      const rt = await spawnRuntime(platform.url, options)
      started.push(rt)
      return { name, port: rt.port, pid: rt.pid, reply }
    }
    const targets = [
      await spawn('echo', {}, 'probe'),
      await spawn(
        'langgraph answer',
        { runtime: 'langgraph', env: { ADAPTER_MODULE: adapterModule, BENCH_SCRIPT: 'answer' } },
        expectedReply,
      ),
      await spawn(
        'langgraph tool+answer',
        { runtime: 'langgraph', env: { ADAPTER_MODULE: adapterModule, BENCH_SCRIPT: 'tool' } },
        expectedReply,
      ),
    ]
    const results = new Map(targets.map((t) => [t.name, []]))
    for (const t of targets) {
      await probe(t.port, t.reply)
      await load(t.port, { connections, seconds: 1 }) // warm-up (JIT)
    }
    for (let r = 0; r < rounds; r++)
      for (const t of targets) {
        const cpuBefore = processCpuUs(t.pid)
        const round = await load(t.port, { connections, seconds: seconds / rounds })
        round.cpuUs = (processCpuUs(t.pid) - cpuBefore) / Math.max(1, round.requests)
        results.get(t.name).push(round)
      }
    const summary = targets.map((t) => {
      const rs = results.get(t.name)
      return {
        target: t.name,
        'req/s': Math.round(median(rs.map((x) => x.rps))),
        'p50 ms': Number(median(rs.map((x) => x.p50)).toFixed(2)),
        'CPU µs/task': Math.round(median(rs.map((x) => x.cpuUs))),
        errors: rs.reduce((n, x) => n + x.errors, 0),
      }
    })
    console.table(summary)
    const [echo, ...langgraph] = summary
    for (const row of langgraph)
      console.log(
        `adapter overhead per task (${row.target} − echo): ${row['CPU µs/task'] - echo['CPU µs/task']} µs CPU, ` +
          `${(row['p50 ms'] - echo['p50 ms']).toFixed(2)} ms p50 latency at c=${connections}`,
      )
    console.log(
      `load average after: ${loadavg()
        .map((x) => x.toFixed(2))
        .join(' ')}`,
    )
  } finally {
    await Promise.all(started.map((rt) => rt.stop()))
    platform.stop()
  }
}
