import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { writeFileAtomic } from './atomic-file.js'

const fresh = () => mkdtempSync(join(tmpdir(), 'molecule-atomic-'))

describe('writeFileAtomic', () => {
  it('creates parents (0700) and the file (0600) with exactly the data', async () => {
    const dir = fresh()
    const path = join(dir, 'nested', 'state.json')
    await writeFileAtomic(path, '{"a":1}')
    expect(readFileSync(path, 'utf8')).toBe('{"a":1}')
    expect(statSync(path).mode & 0o777).toBe(0o600)
    expect(statSync(join(dir, 'nested')).mode & 0o777).toBe(0o700)
  })

  it('replaces an existing file, honours a mode, and leaves no temp file behind', async () => {
    const dir = fresh()
    const path = join(dir, '.auth_token')
    writeFileSync(path, 'old')
    await writeFileAtomic(path, new TextEncoder().encode('new'), { mode: 0o640 })
    expect(readFileSync(path, 'utf8')).toBe('new')
    expect(statSync(path).mode & 0o777).toBe(0o640)
    expect(readdirSync(dir)).toEqual(['.auth_token'])
  })

  it('keeps the old content and cleans up when the target cannot be replaced', async () => {
    const dir = fresh()
    const path = join(dir, 'target')
    await writeFileAtomic(join(path, 'inner'), 'x') // `target` is now a directory: rename over it fails
    await expect(writeFileAtomic(path, 'data')).rejects.toThrow()
    expect(readFileSync(join(path, 'inner'), 'utf8')).toBe('x')
    expect(readdirSync(dir)).toEqual(['target'])
  })
})
