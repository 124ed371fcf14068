import assert from 'node:assert/strict'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { test } from 'node:test'
import { importCycles, oversizedFiles, sourceFiles } from './source-rules.mjs'

function tree(files) {
  const dir = mkdtempSync(path.join(tmpdir(), 'source-rules-'))
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true })
    writeFileSync(path.join(dir, name), text)
  }
  return dir
}

test('finds a cycle through value and type imports, and none in a tree without one', () => {
  const dir = tree({
    'a.ts': "import { b } from './b.js'\nexport const a = b\n",
    'b.ts': "import type { C } from './sub/c.js'\nexport const b = 1\nexport type B = C\n",
    'sub/c.ts': "export type { A } from '../a.js'\nexport type C = number\n",
    'a.test.ts': "import { a } from './a.js'\n",
    'd.ts': "import { a } from './a.js'\nexport const d = a\n",
  })
  try {
    const cycles = importCycles(sourceFiles(dir), dir)
    assert.equal(cycles.length, 1)
    assert.deepEqual(cycles[0], ['a.ts', 'b.ts', path.join('sub', 'c.ts'), 'a.ts'])
    rmSync(path.join(dir, 'sub/c.ts'))
    writeFileSync(path.join(dir, 'sub/c.ts'), 'export type C = number\n')
    assert.deepEqual(importCycles(sourceFiles(dir), dir), [])
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
})

test('reports source files over the limit and skips tests', () => {
  const dir = tree({ 'big.ts': 'x\n'.repeat(10), 'big.test.ts': 'x\n'.repeat(50), 'small.ts': 'x\n' })
  try {
    const found = oversizedFiles(sourceFiles(dir), 5, dir)
    assert.equal(found.length, 1)
    assert.match(found[0], /^big\.ts has 11 lines/)
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
})
