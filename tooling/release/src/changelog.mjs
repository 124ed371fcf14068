// The changelog lines of one released version of a workspace package (the section `changeset version` wrote).
import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { workspacePackages } from './workspace-packages.mjs'

/** The lines under `## <version>` in the package's CHANGELOG.md, without the heading; [] when there are none. */
export function changelogLines(name, version, root) {
  const pkg = workspacePackages(root).find((p) => p.name === name)
  const file = pkg && path.join(pkg.dir, 'CHANGELOG.md')
  if (!file || !existsSync(file)) return []
  const lines = readFileSync(file, 'utf8').split('\n')
  const start = lines.findIndex((line) => line.trim() === `## ${version}`)
  if (start < 0) return []
  const end = lines.findIndex((line, i) => i > start && /^## /.test(line))
  return lines.slice(start + 1, end < 0 ? undefined : end).filter((line) => line.trim() !== '')
}
