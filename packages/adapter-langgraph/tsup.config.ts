import { packageBuild } from '../../tooling/tsup.shared.ts'

export default packageBuild({ entry: { index: 'src/index.ts', testing: 'src/testing/index.ts' } })
