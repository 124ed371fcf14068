import { packageBuild, withoutZodLocales } from '../../tooling/tsup.shared.ts'

// One self-contained file: every dependency (MCP SDK, zod, pino, the @molecule packages) is bundled, so the
// result runs with plain `node` and no node_modules.
export default packageBuild({
  entry: { 'molecule-mcp': 'src/molecule-mcp.ts' },
  noExternal: [/.*/],
  splitting: false,
  esbuildPlugins: [withoutZodLocales],
  // MOLECULE_UNMINIFIED=1: readable names in CPU and heap profiles (see tooling/bench/README.md).
  minify: !process.env.MOLECULE_UNMINIFIED,
  sourcemap: false,
  dts: false,
  banner: {
    // CommonJS dependencies (pino) call require() for node built-ins; give the ESM bundle a real one.
    js: "#!/usr/bin/env node\nimport { createRequire as __molecule_createRequire } from 'node:module';\nconst require = __molecule_createRequire(import.meta.url);",
  },
  esbuildOptions(options) {
    // Bundle workspace packages from their TypeScript sources: no prior build of them is needed.
    options.conditions = ['@molecule/source']
  },
})
