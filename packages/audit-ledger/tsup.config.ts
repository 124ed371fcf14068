import { packageBuild } from '../../tooling/tsup.shared.ts'

export default packageBuild({ entry: ['src/index.ts', 'src/verify-cli.ts'] })
