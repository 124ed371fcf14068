#!/usr/bin/env node
// Checks the dependency rules of ARCHITECTURE.md against the installed tree, not against hope:
// no package depends on an app, no cycles between workspace packages, and the production closures of the
// packages that external users and template authors install stay free of heavy or server-side dependencies.
import { existsSync, readdirSync, readFileSync, realpathSync } from 'node:fs'
import path from 'node:path'
import { FORBIDDEN_IN_CLOSURE } from './dependency-rules.mjs'

const root = path.resolve(import.meta.dirname, '../..')

/** Workspace packages a package may not depend on at all (including dev dependencies). */
const FORBIDDEN_DIRECT = {
  '@molecule/dev-platform': (name) => name.startsWith('@molecule/') && name !== '@molecule/tsconfig',
}

function readJson(file) {
  return JSON.parse(readFileSync(file, 'utf8'))
}

function workspacePackages() {
  const out = new Map()
  for (const group of ['packages', 'apps', 'examples']) {
    const dir = path.join(root, group)
    if (!existsSync(dir)) continue
    for (const name of readdirSync(dir)) {
      const file = path.join(dir, name, 'package.json')
      if (existsSync(file))
        out.set(readJson(file).name, { dir: path.dirname(file), group, json: readJson(file) })
    }
  }
  return out
}

function prodClosure(startDir) {
  const seen = new Map()
  const stack = [startDir]
  while (stack.length) {
    const dir = stack.pop()
    const json = readJson(path.join(dir, 'package.json'))
    for (const dep of Object.keys({ ...json.dependencies, ...json.optionalDependencies })) {
      if (seen.has(dep)) continue
      const link = findInstalled(dir, dep)
      seen.set(dep, link)
      if (link) stack.push(link)
    }
  }
  return seen
}

function findInstalled(fromDir, dep) {
  let dir = fromDir
  for (;;) {
    const candidate = path.join(dir, 'node_modules', dep)
    if (existsSync(path.join(candidate, 'package.json'))) return realpathSync(candidate)
    const parent = path.dirname(dir)
    if (parent === dir) return undefined
    dir = parent
  }
}

const problems = []
const pkgs = workspacePackages()

for (const [name, pkg] of pkgs) {
  const all = { ...pkg.json.dependencies, ...pkg.json.devDependencies, ...pkg.json.peerDependencies }
  for (const dep of Object.keys(all)) {
    const target = pkgs.get(dep)
    if (target?.group === 'apps' && pkg.group === 'packages')
      problems.push(`${name} depends on the app ${dep}`)
    if (FORBIDDEN_DIRECT[name]?.(dep)) problems.push(`${name} must stay independent but depends on ${dep}`)
  }
}

// Cycles among workspace packages, through production dependencies.
const visiting = new Set()
const done = new Set()
function visit(name, trail) {
  if (done.has(name)) return
  if (visiting.has(name)) {
    problems.push(`dependency cycle: ${[...trail, name].join(' -> ')}`)
    return
  }
  visiting.add(name)
  for (const dep of Object.keys(pkgs.get(name)?.json.dependencies ?? {})) {
    if (pkgs.has(dep)) visit(dep, [...trail, name])
  }
  visiting.delete(name)
  done.add(name)
}
for (const name of pkgs.keys()) visit(name, [])

for (const [name, forbidden] of Object.entries(FORBIDDEN_IN_CLOSURE)) {
  const pkg = pkgs.get(name)
  if (!pkg) continue
  const closure = prodClosure(pkg.dir)
  for (const bad of forbidden)
    if (closure.has(bad)) problems.push(`${name} production closure contains ${bad}`)
  console.log(`check-deps: ${name} production closure has ${closure.size} packages`)
}

if (problems.length) {
  for (const p of problems) console.error(`check-deps: ${p}`)
  process.exit(1)
}
console.log(`check-deps: ${pkgs.size} workspace packages follow the dependency rules`)
