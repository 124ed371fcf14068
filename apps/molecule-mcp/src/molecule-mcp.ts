import { runCli } from '@molecule/mcp-bridge'

await runCli()
