import { spawn } from 'node:child_process'
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { beforeAll, describe, expect, it } from 'vitest'

// Several OS processes replacing the same token file at once (runtime + CLI helpers + a re-provisioning operator):
// readers must only ever see one complete token, and the file must stay 0600. Runs the built package.
const DIST = resolve(import.meta.dirname, '../dist/index.js')

const WRITER = `
const { TokenStore } = await import(process.env.DIST_URL)
const store = new TokenStore(process.env.DIR)
const id = process.env.WRITER_ID
for (let i = 0; i < 40; i++) await store.write(\`w\${id}-\${String(i).padStart(3, '0')}-\${'B'.repeat(40)}\`)
`

function runWriter(dir: string, id: number): Promise<number> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', WRITER], {
      env: { ...process.env, DIR: dir, WRITER_ID: String(id), DIST_URL: pathToFileURL(DIST).href },
      stdio: ['ignore', 'ignore', 'pipe'],
    })
    let stderr = ''
    child.stderr.on('data', (c: Buffer) => {
      stderr += c.toString()
    })
    child.on('error', reject)
    child.on('exit', (code) =>
      code === 0 ? resolvePromise(code) : reject(new Error(`writer ${id} exited ${code}: ${stderr}`)),
    )
  })
}

beforeAll(() => {
  if (!existsSync(DIST)) {
    throw new Error(
      `${DIST} is missing: run "pnpm --filter @molecule/platform-client build" first (turbo's test task does)`,
    )
  }
})

describe('TokenStore across processes', () => {
  it('concurrent writer processes never leave a torn, partial or widened token file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'molecule-token-procs-'))
    const path = join(dir, '.auth_token')
    const shape = /^w[0-3]-\d{3}-B{40}$/
    let reads = 0
    let done = false
    const reader = (async () => {
      while (!done) {
        if (existsSync(path)) {
          try {
            const text = readFileSync(path, 'utf8')
            expect(text).toMatch(shape)
            reads++
          } catch (err) {
            // the name can vanish between existsSync and read only if someone deleted it: nobody does here
            if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err
          }
        }
        await new Promise((r) => setImmediate(r))
      }
    })()
    await Promise.all([0, 1, 2, 3].map((id) => runWriter(dir, id)))
    done = true
    await reader
    expect(readFileSync(path, 'utf8')).toMatch(shape)
    expect(statSync(path).mode & 0o777).toBe(0o600)
    expect(readdirSync(dir)).toEqual(['.auth_token']) // no temp files left behind
    expect(reads).toBeGreaterThan(0)
  })
})
