#!/usr/bin/env node
// Smoke test of what an external user installs: `pnpm pack` @molecule/mcp-bridge and the @molecule packages it
// depends on (pack rewrites workspace: ranges to versions), `npm install` the tarballs into an empty temp dir
// (prefer-offline), run `molecule-mcp --help`, and check the production closure stays small.
import { execFileSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { FORBIDDEN_IN_CLOSURE } from '../../../tooling/scripts/dependency-rules.mjs'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../..')

/** Folder names under packages/ of @molecule/mcp-bridge and every @molecule package it depends on in production. */
function bridgeClosure() {
  const seen = new Set()
  const visit = (name) => {
    const dir = name.replace('@molecule/', '')
    if (seen.has(dir)) return
    seen.add(dir)
    const manifest = JSON.parse(readFileSync(join(root, 'packages', dir, 'package.json'), 'utf8'))
    for (const dep of Object.keys(manifest.dependencies ?? {})) if (dep.startsWith('@molecule/')) visit(dep)
  }
  visit('@molecule/mcp-bridge')
  return [...seen]
}
const packages = bridgeClosure()
const forbidden = FORBIDDEN_IN_CLOSURE['@molecule/mcp-bridge']
const run = (cmd, args, cwd) =>
  execFileSync(cmd, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] })

const work = mkdtempSync(join(tmpdir(), 'molecule-mcp-smoke-'))
const tarballs = join(work, 'tarballs')
const app = join(work, 'app')
let failed = false
try {
  run('pnpm', ['--filter', '@molecule/mcp-bridge...', 'build'], root)
  for (const name of packages)
    run('pnpm', ['pack', '--pack-destination', tarballs], join(root, 'packages', name))
  const files = readdirSync(tarballs).map((f) => join(tarballs, f))
  mkdirSync(app, { recursive: true })
  run('npm', ['init', '-y'], app)
  run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--omit=dev', ...files], app)

  const help = run(join(app, 'node_modules', '.bin', 'molecule-mcp'), ['--help'], app)
  if (!help.includes('MOLECULE_WORKSPACES')) {
    console.error('FAIL: molecule-mcp --help did not print the usage')
    failed = true
  } else console.log('ok: molecule-mcp --help runs from the installed package')

  const closure = run('npm', ['ls', '--all', '--omit=dev', '--parseable'], app)
    .split('\n')
    .map((p) => p.slice(p.lastIndexOf('node_modules/') + 'node_modules/'.length))
    .filter(Boolean)
  const bad = forbidden.filter((name) => closure.includes(name))
  if (bad.length > 0) {
    console.error(`FAIL: the production closure contains ${bad.join(', ')}`)
    failed = true
  } else
    console.log(`ok: ${closure.length} packages in the production closure, none of ${forbidden.join(', ')}`)
} finally {
  rmSync(work, { recursive: true, force: true })
}
console.log(failed ? '0 passed, 1 failed' : '1 passed, 0 failed')
process.exit(failed ? 1 : 0)
