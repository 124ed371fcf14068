import { mkdir, mkdtemp, readdir, readFile, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { writeFileAtomic } from './atomic-write.js'

describe('writeFileAtomic', () => {
  it('creates parent directories, writes with the mode and replaces the old content', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'atomic-'))
    const file = join(dir, 'a', 'b', 'state.json')
    await writeFileAtomic(file, 'one')
    await writeFileAtomic(file, 'two')
    expect(await readFile(file, 'utf8')).toBe('two')
    expect((await stat(file)).mode & 0o777).toBe(0o600)
    expect(await readdir(join(dir, 'a', 'b'))).toEqual(['state.json'])
  })

  it('throws and leaves no temp file behind when the target cannot be replaced', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'atomic-'))
    const target = join(dir, 'is-a-dir')
    await mkdir(join(target, 'child'), { recursive: true })
    await expect(writeFileAtomic(target, 'x')).rejects.toThrow()
    expect(await readdir(dir)).toEqual(['is-a-dir'])
  })
})
