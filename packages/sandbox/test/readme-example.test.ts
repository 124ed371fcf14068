import { execFile } from 'node:child_process'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { promisify } from 'node:util'
import { expect, it } from 'vitest'

const packageDir = join(import.meta.dirname, '..')

it("the README's example runs against the built package and prints what it says", async () => {
  const readme = readFileSync(join(packageDir, 'README.md'), 'utf8')
  const code = /```ts\n([\s\S]*?)```/.exec(readme)?.[1]
  if (!code) throw new Error('README has no ts example')
  const dist = pathToFileURL(join(packageDir, 'dist', 'index.js')).href
  const script = join(mkdtempSync(join(tmpdir(), 'sandbox-readme-')), 'example.mjs')
  writeFileSync(script, code.replace("from '@molecule/sandbox'", `from '${dist}'`))
  const { stdout } = await promisify(execFile)(process.execPath, [script], {
    env: { PATH: process.env.PATH ?? '' },
  })
  expect(stdout).toContain('bwrap')
  expect(stdout).toContain("stdout: '42\\n'")
  expect(stdout).toContain('exit_code: 0')
})
