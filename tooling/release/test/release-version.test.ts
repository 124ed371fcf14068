import { readFileSync, rmSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { copyReleaseFiles } from '../src/repo-copy.mjs'
import { run } from '../src/run.mjs'
import { workspacePackages } from '../src/workspace-packages.mjs'

const copy = copyReleaseFiles()
afterAll(() => rmSync(copy, { recursive: true, force: true }))

const manifest = (dir: string) => JSON.parse(readFileSync(path.join(copy, dir, 'package.json'), 'utf8'))
const changelog = (dir: string) => readFileSync(path.join(copy, dir, 'CHANGELOG.md'), 'utf8')

/** Workspace packages that depend on `name` (production or peer), directly or through others. */
function dependentsOf(name: string): string[] {
  const all = workspacePackages().filter((p) => !p.manifest.private)
  const found = new Set<string>()
  const visit = (target: string) => {
    for (const pkg of all) {
      const deps = { ...pkg.manifest.dependencies, ...pkg.manifest.peerDependencies }
      if (deps[target] && !found.has(pkg.name)) {
        found.add(pkg.name)
        visit(pkg.name)
      }
    }
  }
  visit(name)
  return [...found]
}

describe('pnpm release:version', () => {
  it('bumps a package and every dependent, each with a changelog entry', async () => {
    writeFileSync(
      path.join(copy, '.changeset/fixture-platform-client.md'),
      "---\n'@molecule/platform-client': patch\n---\n\nFixture: a fix in the platform client.\n",
    )
    await run('pnpm', ['run', 'release:version'], { cwd: copy, timeoutMs: 240_000 })
    const packages = workspacePackages()
    const dirOf = (name: string) =>
      path.relative(
        path.resolve(import.meta.dirname, '../../..'),
        packages.find((p) => p.name === name)?.dir ?? '',
      )
    const before = (name: string) => packages.find((p) => p.name === name)?.version as string
    const patch = (version: string) => version.replace(/(\d+)$/, (n) => String(Number(n) + 1))

    const client = dirOf('@molecule/platform-client')
    expect(manifest(client).version).toBe(patch(before('@molecule/platform-client')))
    expect(changelog(client)).toContain('Fixture: a fix in the platform client.')

    const dependents = dependentsOf('@molecule/platform-client')
    expect(dependents).toEqual(
      expect.arrayContaining(['@molecule/tools', '@molecule/mcp-bridge', '@molecule/runtime']),
    )
    for (const name of dependents) {
      const dir = dirOf(name)
      expect(manifest(dir).version, name).toBe(patch(before(name)))
      expect(changelog(dir), name).toMatch(/Updated dependencies/)
      expect(changelog(dir), name).toContain(
        `@molecule/platform-client@${patch(before('@molecule/platform-client'))}`,
      )
    }
    // The lockfile follows the new versions (release:version refreshes it).
    expect(readFileSync(path.join(copy, 'pnpm-lock.yaml'), 'utf8')).toContain('lockfileVersion')
    // A package that does not depend on the client is left alone.
    expect(manifest(dirOf('@molecule/core')).version).toBe(before('@molecule/core'))
  })
})
