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
