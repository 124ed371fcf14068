import { packageBuild } from '../../tooling/tsup.shared.ts'

export default packageBuild({
  entry: ['src/index.ts', 'src/cli.ts'],
  dts: { entry: 'src/index.ts' },
  // The MCP SDK depends on hono and express for its HTTP transports, which a stdio bridge never loads. Bundling
  // the parts we use keeps the installed closure of @molecule/mcp-bridge free of them (a check-deps rule).
  noExternal: ['@modelcontextprotocol/sdk'],
})
