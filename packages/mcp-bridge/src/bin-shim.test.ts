import { spawnSync } from 'node:child_process'
import { copyFileSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

const shim = resolve(dirname(fileURLToPath(import.meta.url)), '../bin/molecule-mcp.js')

/** A copy of the package's bin in a temp package, with `dist/cli.js` as given (or missing). */
function runShim(cli?: string) {
  const root = mkdtempSync(join(tmpdir(), 'bin-shim-'))
  mkdirSync(join(root, 'bin'))
  copyFileSync(shim, join(root, 'bin', 'molecule-mcp.js'))
  writeFileSync(join(root, 'package.json'), '{"type":"module"}')
  if (cli !== undefined) {
    mkdirSync(join(root, 'dist'))
    writeFileSync(join(root, 'dist', 'cli.js'), cli)
  }
  return spawnSync(process.execPath, [join(root, 'bin', 'molecule-mcp.js')], {
    encoding: 'utf8',
    timeout: 10_000,
  })
}

describe('the molecule-mcp bin in a checkout that was not built yet', () => {
  it('says to run pnpm build, in one line and without a stack trace', () => {
    const run = runShim()
    expect(run.status).toBe(1)
    expect(run.stderr).toMatch(/^molecule-mcp: this checkout is not built yet .*pnpm build/)
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
