// A copy of the workspace's release-relevant files (manifests, changesets, lockfile) in a temp dir: enough for
// `changeset version` and a lockfile refresh to run there without touching the real repository.
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { ROOT } from './workspace-packages.mjs'

const ROOT_FILES = ['package.json', 'pnpm-workspace.yaml', 'pnpm-lock.yaml', '.npmrc']
const PACKAGE_GROUPS = ['packages', 'apps', 'examples', 'tooling']

/** Copies manifests (and changelogs) of every workspace package plus `.changeset/config.json`; returns the copy's root. */
export function copyReleaseFiles() {
  const dest = mkdtempSync(path.join(tmpdir(), 'molecule-release-copy-'))
  for (const file of ROOT_FILES)
    if (existsSync(path.join(ROOT, file))) copyFileSync(path.join(ROOT, file), path.join(dest, file))
  mkdirSync(path.join(dest, '.changeset'))
  copyFileSync(path.join(ROOT, '.changeset/config.json'), path.join(dest, '.changeset/config.json'))
  for (const group of PACKAGE_GROUPS) {
    const dir = path.join(ROOT, group)
    if (!existsSync(dir)) continue
    for (const name of readdirSync(dir)) {
      for (const file of ['package.json', 'CHANGELOG.md']) {
        const from = path.join(dir, name, file)
        if (!existsSync(from)) continue
        mkdirSync(path.join(dest, group, name), { recursive: true })
        copyFileSync(from, path.join(dest, group, name, file))
      }
    }
  }
  return dest
}
