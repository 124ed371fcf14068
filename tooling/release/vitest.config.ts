import { defineConfig, mergeConfig } from 'vitest/config'
import { sharedConfig } from '../vitest.shared.ts'

// Releases install real packages: allow minutes, not seconds.
export default mergeConfig(
  sharedConfig,
  defineConfig({ test: { testTimeout: 300_000, hookTimeout: 60_000 } }),
)
