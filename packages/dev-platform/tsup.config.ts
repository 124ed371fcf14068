import { packageBuild } from '../../tooling/tsup.shared.ts'

// The CLI is a second entry; only the library entry has types.
export default packageBuild({ entry: ['src/index.ts', 'src/cli.ts'], dts: { entry: 'src/index.ts' } })
