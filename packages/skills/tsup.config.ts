import { packageBuild } from '../../tooling/tsup.shared.ts'

// Two entries: the loader (no chokidar) and the watcher, so a program that only loads skills never loads chokidar.
export default packageBuild({ entry: { index: 'src/index.ts', watch: 'src/watch/index.ts' } })
