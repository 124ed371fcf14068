import { defineConfig } from 'vitest/config'

/**
 * Shared vitest settings. Workspace packages resolve to their TypeScript sources
 * through the `@molecule/source` export condition, so tests never need a build
 * of the packages they import (spawned binaries still use `dist/`).
 */
export const sharedConfig = defineConfig({
  resolve: {
    conditions: ['@molecule/source', 'module', 'node', 'import', 'default'],
  },
  ssr: {
    resolve: {
      conditions: ['@molecule/source', 'module', 'node', 'import', 'default'],
      externalConditions: ['@molecule/source'],
    },
  },
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 20_000,
    hookTimeout: 20_000,
    pool: 'forks',
    restoreMocks: true,
  },
})
