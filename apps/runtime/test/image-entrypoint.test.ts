import { spawnSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

const appDir = resolve(dirname(fileURLToPath(import.meta.url)), '..')

/** The image's ENTRYPOINT as an argument list (the exec form, one JSON array). */
function entrypoint(): string[] {
  const line = /^ENTRYPOINT\s+(\[.*\])\s*$/m.exec(readFileSync(resolve(appDir, 'Dockerfile'), 'utf8'))
  expect(line, 'the Dockerfile has an exec-form ENTRYPOINT').not.toBeNull()
  return JSON.parse((line as RegExpExecArray)[1] as string) as string[]
}

describe('the container image entrypoint', () => {
  it('starts the bin under tini with node flags this node accepts', () => {
    const args = entrypoint()
    expect(args.slice(0, 3)).toEqual(['/usr/bin/tini', '--', 'node'])
    // The Dockerfile copies the app to /app: the bin it names is this package's bin.
    const bin = args.at(-1) as string
    expect(bin).toBe('/app/bin/molecule-runtime.js')
    expect(existsSync(resolve(appDir, bin.slice('/app/'.length)))).toBe(true)
    // A flag node does not know (or one it refuses) stops the container before the runtime logs a line.
    const flags = args.slice(3, -1)
    expect(flags).toContain('--no-memory-reducer')
    const run = spawnSync(process.execPath, [...flags, '-e', 'process.stdout.write("ok")'], {
      encoding: 'utf8',
    })
    expect(run.stderr).toBe('')
    expect(run.stdout).toBe('ok')
  })
})
