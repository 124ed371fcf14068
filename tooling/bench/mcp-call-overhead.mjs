// tools/call overhead: N sequential calls of a tool that does no I/O (molecule-mcp get_runtime_identity vs the
// bare server's echo), over one stdio connection each. Reports median and p99 per call.
import {
  BARE,
  BRIDGE,
  benchWorkspace,
  median,
  percentile,
  requireBundle,
  spawnServer,
} from './mcp-common.mjs'

requireBundle()
const calls = Number(process.env.CALLS ?? 1000)
const { platform, env } = await benchWorkspace()

async function measure(file, e, tool) {
  const server = spawnServer(file, e)
  await server.initialize()
  const times = []
  for (let i = 0; i < calls + 100; i++) {
    const t = process.hrtime.bigint()
    const reply = await server.request('tools/call', { name: tool, arguments: {} })
    if (reply.error || reply.result?.isError) throw new Error(`${tool} failed: ${JSON.stringify(reply)}`)
    if (i >= 100) times.push(Number(process.hrtime.bigint() - t) / 1e6)
  }
  await server.stop()
  return times
}

const bare = await measure(BARE, {}, 'echo')
const ours = await measure(BRIDGE, env, 'get_runtime_identity')
await platform.close()
console.log(`tools/call round trip over stdio (${calls} calls):`)
console.log(
  `  bare echo              median ${median(bare).toFixed(3)} ms  p99 ${percentile(bare, 99).toFixed(3)} ms`,
)
console.log(
  `  molecule-mcp identity  median ${median(ours).toFixed(3)} ms  p99 ${percentile(ours, 99).toFixed(3)} ms`,
)
console.log(`  overhead               ${(median(ours) - median(bare)).toFixed(3)} ms per call (median)`)
