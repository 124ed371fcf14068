import { packageBuild } from '../../tooling/tsup.shared.ts'

// better-sqlite3 is an optional dependency, which tsup would otherwise bundle: its native binding must stay in its
// own package to be found.
export default packageBuild({ entry: ['src/index.ts', 'src/verify-cli.ts'], external: ['better-sqlite3'] })
