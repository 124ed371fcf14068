// The packages a release publishes: every non-private package of the workspace, dependencies before dependents.
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'

export const ROOT = path.resolve(import.meta.dirname, '../../..')

/** Every workspace package (packages/*, apps/*) with its manifest. */
export function workspacePackages(root = ROOT) {
  const out = []
  for (const group of ['packages', 'apps']) {
    const dir = path.join(root, group)
    if (!existsSync(dir)) continue
    for (const name of readdirSync(dir).sort()) {
      const file = path.join(dir, name, 'package.json')
      if (!existsSync(file)) continue
      const manifest = JSON.parse(readFileSync(file, 'utf8'))
      out.push({ dir: path.dirname(file), name: manifest.name, version: manifest.version, manifest })
    }
  }
  return out
}

/** The public packages in publishing order: a package comes after every workspace package it depends on. */
export function publicPackagesInOrder(root = ROOT) {
  const all = workspacePackages(root).filter((p) => !p.manifest.private)
  const byName = new Map(all.map((p) => [p.name, p]))
  const ordered = []
  const placed = new Set()
  const place = (pkg, trail = []) => {
    if (placed.has(pkg.name)) return
    if (trail.includes(pkg.name)) throw new Error(`dependency cycle: ${[...trail, pkg.name].join(' -> ')}`)
    for (const dep of Object.keys({ ...pkg.manifest.dependencies, ...pkg.manifest.peerDependencies })) {
      const target = byName.get(dep)
      if (target) place(target, [...trail, pkg.name])
    }
    placed.add(pkg.name)
    ordered.push(pkg)
  }
  for (const pkg of all) place(pkg)
  return ordered
}
