#!/usr/bin/env node
// What users get, checked as users get it: every public package is published to a throwaway local registry with the
// release command, then installed from it into empty directories exactly as the READMEs say:
//   operator         npm install -g @molecule/mcp-bridge  ->  molecule-mcp --help, --version, doctor
//   template author  npm install @molecule/adapter-core, an adapter file, npm install @molecule/runtime
//                    ->  molecule-runtime serves that adapter and answers an A2A message
//   closures         mcp-bridge without hono, chokidar, skills, plugins, a2a-server; adapter-core exactly zod
//   lint             publint and @arethetypeswrong/cli on every published tarball
//   single binary    molecule-mcp as a Node single-executable application, run with no node on PATH
// Needs a build first (`pnpm build`). Prints one line per check and a summary; exit 1 when any check failed.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { EXACT_CLOSURE, FORBIDDEN_IN_CLOSURE } from '../scripts/dependency-rules.mjs'
import { startLocalRegistry } from './src/local-registry.mjs'
import { run } from './src/run.mjs'
import { operatorScenario, templateAuthorScenario } from './src/scenarios.mjs'
import { singleExecutableScenario } from './src/single-executable.mjs'
import { publicPackagesInOrder, ROOT } from './src/workspace-packages.mjs'

const BIN = path.join(import.meta.dirname, 'node_modules/.bin')
const results = []
async function check(name, fn) {
  try {
    const detail = await fn()
    results.push({ name, ok: true })
    console.log(`ok    ${name}${detail ? ` — ${detail}` : ''}`)
  } catch (err) {
    results.push({ name, ok: false })
    console.log(`FAIL  ${name}\n${String(err?.message ?? err).replace(/^/gm, '      ')}`)
  }
}

const packages = publicPackagesInOrder()
const work = mkdtempSync(path.join(tmpdir(), 'molecule-release-smoke-'))
const registry = await startLocalRegistry()
const env = {
  ...process.env,
  NPM_CONFIG_USERCONFIG: registry.userconfig,
  npm_config_userconfig: registry.userconfig,
}
// npm must not reuse a cached @molecule package from an earlier run of another build.
env.npm_config_cache = path.join(work, 'npm-cache')
try {
  await check('every public package publishes without its development-only source condition', () => {
    const leaking = packages.filter((p) =>
      JSON.stringify(p.manifest.publishConfig?.exports ?? p.manifest.exports ?? {}).includes(
        '@molecule/source',
      ),
    )
    const missing = packages.filter((p) => p.manifest.exports && !p.manifest.publishConfig?.exports)
    if (leaking.length || missing.length)
      throw new Error(
        `add publishConfig.exports (the exports without "@molecule/source", which points at src/ that is not published) to: ${[...leaking, ...missing].map((p) => p.name).join(', ')}`,
      )
    return `${packages.length} packages`
  })

  await check(`pnpm release:publish to ${registry.url}`, async () => {
    // The release command itself (changesets publishes what the registry does not have yet), without git tags here.
    await run('pnpm', ['release:publish', '--no-git-tag'], { cwd: ROOT, env, timeoutMs: 600_000 })
    const published = []
    for (const pkg of packages) {
      const res = await fetch(`${registry.url}${pkg.name.replace('/', '%2f')}`)
      const doc = res.ok ? await res.json() : undefined
      const manifest = doc?.versions?.[pkg.version]
      if (!manifest) throw new Error(`${pkg.name}@${pkg.version} is not on the registry after publishing`)
      const ranges = JSON.stringify({ ...manifest.dependencies, ...manifest.peerDependencies })
      if (/workspace:|catalog:/.test(ranges))
        throw new Error(`${pkg.name} was published with unresolved ranges: ${ranges}`)
      published.push(`${pkg.name}@${pkg.version}`)
    }
    return published.join(', ')
  })

  await check('publint and @arethetypeswrong/cli pass on every published tarball', async () => {
    const lintDir = path.join(work, 'lint')
    mkdirSync(lintDir, { recursive: true })
    for (const pkg of packages) {
      const tarball = (
        await run('npm', ['pack', `${pkg.name}@${pkg.version}`, '--pack-destination', lintDir], {
          cwd: lintDir,
          env,
        })
      )
        .trim()
        .split('\n')
        .at(-1)
      const unpacked = path.join(lintDir, pkg.name.replace('/', '__'))
      mkdirSync(unpacked, { recursive: true })
      await run('tar', ['-xzf', path.join(lintDir, tarball), '-C', unpacked], { cwd: lintDir })
      await run(path.join(BIN, 'publint'), ['--strict', path.join(unpacked, 'package')], {
        cwd: lintDir,
        env,
      })
      // ESM-only packages: CommonJS resolution problems are expected and not reported.
      await run(
        path.join(BIN, 'attw'),
        ['--profile', 'esm-only', '--format', 'ascii', path.join(lintDir, tarball)],
        {
          cwd: lintDir,
          env,
        },
      )
    }
    return `${packages.length} packages`
  })

  const operator = await operatorScenario({ work, env })
  await check('operator: npm install -g @molecule/mcp-bridge; molecule-mcp --help, --version, doctor', () =>
    operator.run(),
  )
  await check('operator: the bridge’s production closure has none of the forbidden packages', () =>
    operator.closureWithout(FORBIDDEN_IN_CLOSURE['@molecule/mcp-bridge']),
  )

  const author = await templateAuthorScenario({ work, env })
  await check('template author: adapter-core, an adapter file, @molecule/runtime serves it over A2A', () =>
    author.run(),
  )
  await check('template author: @molecule/adapter-core’s production closure is exactly zod', () =>
    author.adapterCoreClosureIs(EXACT_CLOSURE['@molecule/adapter-core']),
  )

  await check('single executable: molecule-mcp built with postject runs where node is not installed', () =>
    singleExecutableScenario({
      work,
      version: packages.find((p) => p.name === '@molecule/mcp-bridge').version,
    }),
  )
} finally {
  registry.stop()
  rmSync(work, { recursive: true, force: true })
}

const failed = results.filter((r) => !r.ok).length
console.log(`\nrelease smoke: ${results.length - failed} passed, ${failed} failed`)
process.exit(failed ? 1 : 0)
