import { execFile } from 'node:child_process'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { promisify } from 'node:util'
import { afterAll, describe, expect, it } from 'vitest'
import { makeConfigDir } from '../src/test-dirs.ts'

const run = promisify(execFile)
const packageDir = join(import.meta.dirname, '..')

/** The README's js example, pointed at the built dist (run `pnpm --filter @molecule/config build` first). */
function readmeExample(): string {
  const readme = readFileSync(join(packageDir, 'README.md'), 'utf8')
  const code = /```js\n([\s\S]*?)```/.exec(readme)?.[1]
  if (!code) throw new Error('README has no js example')
  const dist = pathToFileURL(join(packageDir, 'dist', 'index.js')).href
  return code.replace("from '@molecule/config'", `from '${dist}'`)
}

describe('README example', () => {
  const made = makeConfigDir({ 'ws/config.yaml': 'a2a: {port: 0}\n' })
  afterAll(made.cleanup)
  const script = join(made.dir, 'preflight.mjs')
  writeFileSync(script, readmeExample())
  const env = { PATH: process.env.PATH ?? '' }

  it('prints the documented preflight report and exits 1', async () => {
    const result = await run(process.execPath, [script, './ws'], { cwd: made.dir, env }).catch(
      (err: { code: number; stdout: string }) => err,
    )
    expect('code' in result ? result.code : 0).toBe(1)
    expect(result.stdout).toContain('Preflight checks:\n  [FAIL] Runtime: ADAPTER_MODULE is not set')
    expect(result.stdout).toContain('  [FAIL] A2A port: a2a.port is 0; it must be between 1 and 65535.')
    expect(result.stdout).toContain(
      '  [WARN] Prompt file: system-prompt.md not found in ./ws (the system prompt',
    )
  })

  it('prints config problems without a stack trace', async () => {
    writeFileSync(join(made.dir, 'ws', 'config.yaml'), 'tier: [1]\n')
    const result = await run(process.execPath, [script, './ws'], { cwd: made.dir, env }).catch(
      (err: { code: number; stderr: string }) => err,
    )
    expect('code' in result ? result.code : 0).toBe(1)
    expect(result.stderr).toContain('tier: got [1], expected a whole number ≥ 0.')
    expect(result.stderr).not.toMatch(/\n\s+at /)
  })
})
