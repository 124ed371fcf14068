#!/usr/bin/env node
// After a release, brings template repositories up to the versions just published:
//   node tooling/scripts/cascade-templates.mjs ../template-claude-code ../template-codex
// Every `@molecule/*` dependency of each template's package.json is set to `^<current workspace version>`.
// Prints what changed; `--check` only reports and exits 1 when a template is behind (for template CI).
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'

const root = path.resolve(import.meta.dirname, '../..')
const args = process.argv.slice(2)
const checkOnly = args.includes('--check')
const templates = args.filter((a) => !a.startsWith('--'))

if (templates.length === 0) {
  console.error('usage: cascade-templates [--check] <template-dir> [...]')
  process.exit(2)
}

const versions = new Map()
for (const group of ['packages', 'apps']) {
  for (const name of readdirSync(path.join(root, group))) {
    const file = path.join(root, group, name, 'package.json')
    if (!existsSync(file)) continue
    const json = JSON.parse(readFileSync(file, 'utf8'))
    if (!json.private) versions.set(json.name, json.version)
  }
}

let behind = 0
for (const dir of templates) {
  const file = path.join(dir, 'package.json')
  if (!existsSync(file)) {
    console.error(`${dir}: no package.json here. Pass the template repository's root directory.`)
    process.exitCode = 2
    continue
  }
  const json = JSON.parse(readFileSync(file, 'utf8'))
  const changes = []
  for (const field of ['dependencies', 'devDependencies', 'peerDependencies']) {
    for (const [dep, range] of Object.entries(json[field] ?? {})) {
      const version = versions.get(dep)
      if (!version || range === `^${version}`) continue
      changes.push(`${field}.${dep}: ${range} -> ^${version}`)
      json[field][dep] = `^${version}`
    }
  }
  behind += changes.length
  for (const c of changes) console.log(`${dir}: ${c}`)
  if (changes.length === 0) console.log(`${dir}: up to date`)
  else if (!checkOnly) writeFileSync(file, `${JSON.stringify(json, null, 2)}\n`)
}
if (checkOnly && behind > 0) process.exitCode = 1
