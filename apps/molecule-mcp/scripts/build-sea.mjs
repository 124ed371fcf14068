#!/usr/bin/env node
// Builds `dist/sea/molecule-mcp`: one executable with Node and the bridge inside, for users without Node 20 (Node's
// single-executable applications: a CommonJS bundle, a preparation blob, and postject injecting it into a copy of the
// node binary). Linux x64 from a Linux x64 machine; the release workflow attaches it to the release.
import { execFileSync } from 'node:child_process'
import { chmodSync, copyFileSync, mkdirSync, rmSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { build } from 'esbuild'

const app = path.resolve(import.meta.dirname, '..')
const out = path.join(app, 'dist/sea')
rmSync(out, { recursive: true, force: true })
mkdirSync(out, { recursive: true })

const script = path.join(out, 'molecule-mcp.cjs')
await build({
  entryPoints: [path.join(app, 'src/sea-main.ts')],
  outfile: script,
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  minify: true,
  conditions: ['@molecule/source'],
  logLevel: 'error',
})

const blob = path.join(out, 'sea-prep.blob')
const config = path.join(out, 'sea-config.json')
writeFileSync(config, JSON.stringify({ main: script, output: blob, disableExperimentalSEAWarning: true }))
execFileSync(process.execPath, ['--experimental-sea-config', config], { stdio: 'inherit' })

const binary = path.join(out, 'molecule-mcp')
copyFileSync(process.execPath, binary)
chmodSync(binary, 0o755)
execFileSync(
  path.join(app, 'node_modules/.bin/postject'),
  [binary, 'NODE_SEA_BLOB', blob, '--sentinel-fuse', 'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2'],
  { stdio: 'inherit' },
)
for (const file of [script, blob, config]) rmSync(file)
console.log(`built ${path.relative(process.cwd(), binary)}`)
