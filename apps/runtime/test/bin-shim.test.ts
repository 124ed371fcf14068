import { dirname, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { runBinShim } from '@molecule/test-support'
import { describe, expect, it } from 'vitest'

const shim = resolve(dirname(fileURLToPath(import.meta.url)), '../bin/molecule-runtime.js')

const runShim = (cli?: string) => runBinShim(shim, cli)

describe('the molecule-runtime bin in a checkout that was not built yet', () => {
  it('says to run pnpm build, in one line and without a stack trace', () => {
    const run = runShim()
    expect(run.status).toBe(1)
    expect(run.stderr).toMatch(/^molecule-runtime: this checkout is not built yet .*pnpm build/)
    expect(run.stderr.trim().split('\n')).toHaveLength(1)
    expect(run.stderr).not.toMatch(/ERR_MODULE_NOT_FOUND|\n\s+at /)
  })

  it('runs the built CLI, and lets its own errors through', () => {
    expect(runShim("process.stdout.write('built')").stdout).toBe('built')
    const broken = runShim("throw new Error('a real bug')")
    expect(broken.status).not.toBe(0)
    expect(broken.stderr).toMatch(/a real bug/)
  })
})
