// Cold start to `initialize` answered: molecule-mcp (single-file bundle, single workspace against the dev
// platform) side by side with a bare MCP SDK stdio server. Median of N alternating runs; target ratio ≤ 1.3.
import { BARE, BRIDGE, benchWorkspace, median, requireBundle, spawnServer } from './mcp-common.mjs'

requireBundle()
const runs = Number(process.env.RUNS ?? 15)
const { platform, env } = await benchWorkspace()

const bare = []
const ours = []
for (let i = 0; i < runs + 2; i++) {
  for (const [file, out, e] of [
    [BARE, bare, {}],
    [BRIDGE, ours, env],
  ]) {
    const server = spawnServer(file, e)
    const { ms } = await server.initialize()
    await server.stop()
    if (i >= 2) out.push(ms) // two warm-up rounds fill the OS file cache
  }
}
await platform.close()
const ratio = median(ours) / median(bare)
console.log(`cold start to initialize (median of ${runs}):`)
console.log(`  bare MCP SDK server  ${median(bare).toFixed(1)} ms`)
console.log(`  molecule-mcp bundle  ${median(ours).toFixed(1)} ms`)
console.log(`  ratio                ${ratio.toFixed(2)}x (target <= 1.30) ${ratio <= 1.3 ? 'OK' : 'MISSED'}`)
