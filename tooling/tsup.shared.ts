import { defineConfig, type Options } from 'tsup'

/**
 * The one build config of the workspace. A package's `tsup.config.ts` is `export default packageBuild()`, with
 * overrides only where it differs (more entries, a bundle). turbo.json lists this file as a build input, so editing it
 * rebuilds every package.
 */
export function packageBuild(overrides: Options = {}): ReturnType<typeof defineConfig> {
  const entry = overrides.entry ?? ['src/index.ts']
  return defineConfig({
    entry,
    format: ['esm'],
    target: 'node20',
    platform: 'node',
    dts: { entry },
    clean: true,
    sourcemap: true,
    ...overrides,
  })
}

type EsbuildPlugin = NonNullable<Options['esbuildPlugins']>[number]

/**
 * For bundles: zod's `locales` namespace (error messages in some fifty languages, ~40 % of zod's code) becomes an
 * empty module. `z.locales` is reachable from the `z` object, so the bundler cannot drop it, and every boot compiled
 * it; nothing here calls `z.locales.*` (the English messages zod uses by default are a module of their own and stay).
 */
export const withoutZodLocales: EsbuildPlugin = {
  name: 'without-zod-locales',
  setup(build) {
    build.onResolve({ filter: /^\.\.\/locales\/index\.js$/ }, (args) =>
      /[\\/]zod[\\/]v4[\\/]/.test(args.importer)
        ? { path: 'zod-locales', namespace: 'molecule-empty' }
        : undefined,
    )
    build.onLoad({ filter: /.*/, namespace: 'molecule-empty' }, () => ({
      contents: 'export {}',
      loader: 'js',
    }))
  },
}
