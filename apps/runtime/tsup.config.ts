import { packageBuild, withoutZodLocales } from '../../tooling/tsup.shared.ts'

export default [
  // The library entry (startRuntime and friends), with types: imports its @molecule dependencies as usual.
  packageBuild({ entry: ['src/index.ts'] }),
  // The program: one bundle with everything it loads, so a boot reads a handful of files instead of hundreds of
  // modules (a third of boot time went to resolving and compiling them). `dev` and `demo` are split into chunks of
  // their own, loaded only when asked for.
  packageBuild({
    entry: { cli: 'src/cli.ts' },
    noExternal: [/^(?!@molecule\/audit-ledger$)/],
    // The ledger (native SQLite driver, PostgreSQL client) stays a package of its own, loaded only when it is on.
    external: ['@molecule/audit-ledger'],
    splitting: true,
    esbuildPlugins: [withoutZodLocales],
    // MOLECULE_UNMINIFIED=1: readable names in CPU profiles (see tooling/bench/README.md).
    minify: !process.env.MOLECULE_UNMINIFIED,
    clean: false,
    dts: false,
    banner: {
      // CommonJS dependencies (pino) call require() for node built-ins; give the ESM bundle a real one.
      js: "import { createRequire as __molecule_createRequire } from 'node:module';\nconst require = __molecule_createRequire(import.meta.url);",
    },
    esbuildOptions(options) {
      // Bundle workspace packages from their TypeScript sources: no prior build of them is needed.
      options.conditions = ['@molecule/source']
    },
  }),
]
