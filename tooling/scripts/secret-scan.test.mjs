import assert from 'node:assert/strict'
import { test } from 'node:test'
import { addedLinesFromDiff, scanLines } from './secret-scan.mjs'

// The fakes are assembled at run time so this file itself stays clean for --all scans.
const fake = {
  aws: ['AKIA', 'ABCDEFGHIJKLMNOP'].join(''),
  github: ['ghp_', 'a'.repeat(36)].join(''),
  anthropic: ['sk-ant-', 'api03-', 'x'.repeat(30)].join(''),
  pem: ['-----BEGIN ', 'RSA PRIVATE KEY-----'].join(''),
}

test('flags each credential shape', () => {
  for (const [kind, value] of Object.entries(fake)) {
    const findings = scanLines([{ file: 'a.ts', line: 1, text: `const v = '${value}'` }])
    assert.equal(findings.length >= 1, true, `${kind} not detected`)
  }
})

test('honours the allow marker and ignores ordinary code', () => {
  const allowed = scanLines([{ file: 'a.ts', line: 3, text: `'${fake.aws}' // secret-scan: allow` }])
  assert.deepEqual(allowed, [])
  const clean = scanLines([{ file: 'a.ts', line: 1, text: "const token = await store.read('auth')" }])
  assert.deepEqual(clean, [])
})

test('reads added lines and their numbers from a unified diff', () => {
  const diff = ['+++ b/src/x.ts', '@@ -0,0 +7,2 @@', `+const k = '${fake.github}'`, '+ok'].join('\n')
  const lines = addedLinesFromDiff(diff)
  assert.deepEqual(
    lines.map((l) => [l.file, l.line]),
    [
      ['src/x.ts', 7],
      ['src/x.ts', 8],
    ],
  )
  assert.equal(scanLines(lines)[0]?.line, 7)
})
