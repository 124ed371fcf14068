import { defineConfig } from 'vitest/config'
import { sharedConfig } from '../../tooling/vitest.shared.ts'

// node-postgres (CommonJS) requires pg-pool, whose `import` condition is an ES module; the shared config's explicit
// `import` condition reaches Node's require of external packages, so this package resolves without it.
const conditions = ['@molecule/source', 'module', 'node', 'default']
export default defineConfig({
  ...sharedConfig,
  resolve: { conditions },
  ssr: { resolve: { conditions, externalConditions: ['@molecule/source'] } },
})
