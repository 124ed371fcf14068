#!/usr/bin/env node
// Writes each public package's `publishConfig.exports`: its `exports` without the development-only
// `@molecule/source` condition (that condition points at src/, which is not published). Run after adding an entry
// point; `pnpm smoke-install` fails while any package is out of step. Prints the packages it changed.
import { readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { publicPackagesInOrder } from './src/workspace-packages.mjs'

function withoutSource(value) {
  if (Array.isArray(value)) return value.map(withoutSource)
  if (value === null || typeof value !== 'object') return value
  return Object.fromEntries(
    Object.entries(value)
      .filter(([key]) => key !== '@molecule/source')
      .map(([key, inner]) => [key, withoutSource(inner)]),
  )
}

for (const pkg of publicPackagesInOrder()) {
  if (!pkg.manifest.exports) continue
  const file = path.join(pkg.dir, 'package.json')
  const text = readFileSync(file, 'utf8')
  const manifest = JSON.parse(text)
  const wanted = withoutSource(manifest.exports)
  if (JSON.stringify(manifest.publishConfig?.exports) === JSON.stringify(wanted)) continue
  manifest.publishConfig = { ...manifest.publishConfig, exports: wanted }
  writeFileSync(file, `${JSON.stringify(manifest, null, 2)}\n`)
  console.log(`${pkg.name}: publishConfig.exports written`)
}
