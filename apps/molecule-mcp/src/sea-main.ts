// Entry of the single-executable build (Node's SEA runs one CommonJS script, without top-level await).
import { runCli } from '@molecule/mcp-bridge'

runCli().catch((err: unknown) => {
  process.stderr.write(`molecule-mcp: ${err instanceof Error ? err.message : String(err)}\n`)
  process.exit(1)
})
