// Standalone on purpose: template authors copy this folder out of the repository, so it does not import the
// workspace's shared build config (tooling/tsup.shared.ts).
import { defineConfig } from 'tsup'

export default defineConfig({
  entry: ['src/index.ts'],
  format: ['esm'],
  target: 'node20',
  dts: true,
  clean: true,
  sourcemap: true,
})
