import { cp } from 'node:fs/promises'
import { packageBuild } from '../../tooling/tsup.shared.ts'

// The CLI is a second entry; only the library entry has types. The console's browser files are served as they are:
// the build copies them next to the bundle (`dist/static/`).
export default packageBuild({
  entry: ['src/index.ts', 'src/cli.ts'],
  dts: { entry: 'src/index.ts' },
  onSuccess: () => cp('src/console/static', 'dist/static', { recursive: true }),
})
