// The single executable for users without Node 20: built from the repository with Node's SEA support and postject,
// then run with an environment whose PATH has no node at all, as on such a user's machine.
import { mkdirSync } from 'node:fs'
import path from 'node:path'
import { run } from './run.mjs'
import { doctorPassesAgainstDevPlatform } from './scenarios.mjs'
import { ROOT } from './workspace-packages.mjs'

const APP = path.join(ROOT, 'apps/molecule-mcp')

export async function singleExecutableScenario({ work, version }) {
  await run('node', ['scripts/build-sea.mjs'], { cwd: APP, timeoutMs: 180_000 })
  const bin = path.join(APP, 'dist/sea/molecule-mcp')
  // An empty PATH directory: a node found on PATH would hide a binary that still needed one.
  const emptyBin = path.join(work, 'empty-bin')
  mkdirSync(emptyBin, { recursive: true })
  const env = { PATH: emptyBin, HOME: work }
  const printed = (await run(bin, ['--version'], { cwd: work, env })).trim()
  if (printed !== version) throw new Error(`the executable printed ${printed}, the bridge is ${version}`)
  await doctorPassesAgainstDevPlatform(bin, { work, env, name: 'Standalone' })
  return `${path.relative(ROOT, bin)} ${printed}: --version and doctor with no node on PATH`
}
