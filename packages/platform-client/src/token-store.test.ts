import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { MemoryTokenSource, TokenStore } from './token-store.js'

let dir: string
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'molecule-token-'))
})
afterEach(() => {
  // temp dirs are left to the OS; each test gets its own
})

function fakeToken(i: number): string {
  return `tok${String(i).padStart(4, '0')}_${'A'.repeat(36)}`
}

describe('TokenStore', () => {
  it('has no token when the file is missing or blank', () => {
    const store = new TokenStore(dir)
    expect(store.read()).toBeUndefined()
    writeFileSync(join(dir, '.auth_token'), '  \n')
    expect(store.reload()).toBeUndefined()
  })

  it('writes with mode 0600 and no trailing newline, trimming the value', async () => {
    const store = new TokenStore(dir)
    expect(await store.write(`  ${fakeToken(1)}\n`)).toBe(true)
    const path = join(dir, '.auth_token')
    expect(readFileSync(path, 'utf8')).toBe(fakeToken(1))
    expect(statSync(path).mode & 0o777).toBe(0o600)
    expect(store.read()).toBe(fakeToken(1))
    expect(readdirSync(dir)).toEqual(['.auth_token'])
  })

  it('does not rewrite an identical token (mtime kept)', async () => {
    const store = new TokenStore(dir)
    await store.write(fakeToken(2))
    const path = join(dir, '.auth_token')
    const before = statSync(path)
    await new Promise((r) => setTimeout(r, 20))
    expect(await store.write(fakeToken(2))).toBe(false)
    const after = statSync(path)
    expect(after.mtimeMs).toBe(before.mtimeMs)
    expect(after.ino).toBe(before.ino)
  })

  it('replaces the file atomically (new inode, never edited in place)', async () => {
    const store = new TokenStore(dir)
    await store.write(fakeToken(3))
    const first = statSync(join(dir, '.auth_token')).ino
    await store.write(fakeToken(4))
    expect(statSync(join(dir, '.auth_token')).ino).not.toBe(first)
    expect(readFileSync(join(dir, '.auth_token'), 'utf8')).toBe(fakeToken(4))
  })

  it('caches reads until reload() (a rotated file is picked up on demand)', async () => {
    const store = new TokenStore(dir)
    await store.write(fakeToken(5))
    writeFileSync(join(dir, '.auth_token'), fakeToken(6))
    expect(store.read()).toBe(fakeToken(5))
    expect(store.reload()).toBe(fakeToken(6))
  })

  it('rejects empty or multi-line tokens with a clear error', async () => {
    const store = new TokenStore(dir)
    await expect(store.write('   ')).rejects.toMatchObject({ code: 'TOKEN_INVALID' })
    await expect(store.write('a\nb')).rejects.toMatchObject({ code: 'TOKEN_INVALID' })
  })

  it('creates a missing configs directory', async () => {
    const nested = join(dir, 'a', 'b')
    const store = new TokenStore(nested)
    await store.write(fakeToken(7))
    expect(readFileSync(join(nested, '.auth_token'), 'utf8')).toBe(fakeToken(7))
  })

  it('fails with TOKEN_WRITE_FAILED (naming the file) when the directory is not writable', async () => {
    const blocker = join(dir, 'file-not-dir')
    writeFileSync(blocker, 'x')
    const store = new TokenStore(blocker)
    await expect(store.write(fakeToken(8))).rejects.toMatchObject({ code: 'TOKEN_WRITE_FAILED' })
  })

  it('never leaves a torn file under many parallel writers and concurrent readers', async () => {
    const valid = new Set(Array.from({ length: 60 }, (_, i) => fakeToken(100 + i)))
    const stores = Array.from({ length: 4 }, () => new TokenStore(dir))
    const path = join(dir, '.auth_token')
    let reads = 0
    let stop = false
    const reader = (async () => {
      while (!stop) {
        try {
          const seen = readFileSync(path, 'utf8')
          expect(valid.has(seen)).toBe(true)
          reads++
        } catch (err) {
          expect((err as NodeJS.ErrnoException).code).toBe('ENOENT')
        }
        await new Promise((r) => setImmediate(r))
      }
    })()
    await Promise.all([...valid].map((token, i) => stores[i % stores.length]!.write(token)))
    stop = true
    await reader
    expect(valid.has(readFileSync(path, 'utf8'))).toBe(true)
    expect(reads).toBeGreaterThan(0)
    expect(readdirSync(dir)).toEqual(['.auth_token'])
  })
})

describe('MemoryTokenSource', () => {
  it('holds a token in memory', async () => {
    const source = new MemoryTokenSource(undefined)
    expect(source.read()).toBeUndefined()
    expect(await source.write('abc')).toBe(true)
    expect(await source.write('abc')).toBe(false)
    expect(source.reload()).toBe('abc')
  })
})
