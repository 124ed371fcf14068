// The single executable for users without Node 20: built from the repository with Node's SEA support and postject,
// then run with an environment whose PATH has no node at all, as on such a user's machine.
import { mkdirSync } from 'node:fs'
import path from 'node:path'
import { startDevPlatform } from '@molecule/dev-platform'
import { run } from './run.mjs'
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
  const platform = await startDevPlatform({ port: 0, logLevel: 'silent' })
  try {
    const ws = await platform.createWorkspace({ name: 'Standalone', external: true, mint_token: true })
    const configs = path.join(work, 'sea-configs')
    mkdirSync(configs, { recursive: true })
    const doctor = await run(bin, ['doctor'], {
      cwd: work,
      env: {
        ...env,
        PLATFORM_URL: platform.url,
        WORKSPACE_ID: ws.id,
        MOLECULE_WORKSPACE_TOKEN: ws.token,
        CONFIGS_DIR: configs,
      },
      timeoutMs: 60_000,
    })
    if (!/heartbeat/i.test(doctor)) throw new Error(`doctor printed no checks:\n${doctor}`)
  } finally {
    await platform.close()
  }
  return `${path.relative(ROOT, bin)} ${printed}: --version and doctor with no node on PATH`
}
