import { defineConfig } from 'tsup'

export default defineConfig({
  entry: ['src/index.ts', 'src/cli.ts'],
  format: ['esm'],
  target: 'node20',
  platform: 'node',
  dts: { entry: 'src/index.ts' },
  clean: true,
  sourcemap: true,
  // The MCP SDK depends on hono and express for its HTTP transports, which a stdio bridge never loads. Bundling
  // the parts we use keeps the installed closure of @molecule/mcp-bridge free of them (ARCHITECTURE rule).
  noExternal: ['@modelcontextprotocol/sdk'],
})
