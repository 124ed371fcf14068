#!/usr/bin/env node
// Checks the rules of docs/ARCHITECTURE.md against the installed tree and the sources, not against hope:
// no package depends on an app, no cycles between workspace packages or between the modules of one package, the
// production closures of the packages that external users and template authors install stay small, and no source
// file grows past the size where it should be split.
import { existsSync, readdirSync, readFileSync, realpathSync } from 'node:fs'
import path from 'node:path'
import {
  ALLOWED_WORKSPACE_DEPS,
  EXACT_CLOSURE,
  FORBIDDEN_IN_CLOSURE,
  MAX_SOURCE_LINES,
} from './dependency-rules.mjs'
import { importCycles, oversizedFiles, sourceFiles } from './source-rules.mjs'

const root = path.resolve(import.meta.dirname, '../..')

function readJson(file) {
  return JSON.parse(readFileSync(file, 'utf8'))
}

function workspacePackages() {
  const out = new Map()
  for (const group of ['packages', 'apps', 'examples', 'tooling']) {
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
    const allowed = ALLOWED_WORKSPACE_DEPS[name]
    if (allowed && pkgs.has(dep) && !allowed.includes(dep))
      problems.push(
        `${name} may depend only on ${allowed.join(', ')} among workspace packages, not on ${dep}`,
      )
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

for (const [name, exact] of Object.entries(EXACT_CLOSURE)) {
  const pkg = pkgs.get(name)
  if (!pkg) continue
  const closure = [...prodClosure(pkg.dir).keys()].sort()
  if (closure.join() !== [...exact].sort().join())
    problems.push(
      `${name} production closure must be exactly [${exact.join(', ')}] but is [${closure.join(', ')}]`,
    )
}

// Module-level rules, per package: no import cycle, no oversized source file.
let modules = 0
for (const [, pkg] of pkgs) {
  const files = sourceFiles(path.join(pkg.dir, 'src'))
  modules += files.length
  for (const cycle of importCycles(files, root)) problems.push(`import cycle: ${cycle.join(' -> ')}`)
  problems.push(...oversizedFiles(files, MAX_SOURCE_LINES, root))
}
console.log(`check-deps: ${modules} source modules checked for import cycles and size`)

if (problems.length) {
  for (const p of problems) console.error(`check-deps: ${p}`)
  process.exit(1)
}
console.log(`check-deps: ${pkgs.size} workspace packages follow the dependency rules`)
