import { spawn } from 'node:child_process'
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { delimiter, dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

const appDir = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const scripts = JSON.parse(readFileSync(join(appDir, 'package.json'), 'utf8')).scripts as Record<
  string,
  string
>

/**
 * A stand-in `turbo` first on PATH: records its arguments, prints one build line after `delayMs` and exits with
 * `code`, so the test sees what `pnpm dev` shows while a (slow, first) build runs.
 */
function fakeTurbo(delayMs: number, code: number): { dir: string; argsFile: string } {
  const dir = mkdtempSync(join(tmpdir(), 'fake-turbo-'))
  const argsFile = join(dir, 'args.txt')
  const bin = join(dir, 'turbo')
  const seconds = (delayMs / 1000).toFixed(1)
  writeFileSync(
    bin,
    `#!/bin/sh\nprintf '%s\\n' "$@" > '${argsFile}'\nsleep ${seconds}\necho '@molecule/core:build: ESM Build success'\nexit ${code}\n`,
  )
  chmodSync(bin, 0o755)
  return { dir, argsFile }
}

/** Runs the dev script's command line (`node scripts/… <args>`) with the fake turbo; output with arrival times. */
function runScript(script: string, turbo: { dir: string }) {
  const [node, file, ...args] = script.split(' ')
  expect(node).toBe('node')
  const started = Date.now()
  const child = spawn(
    process.execPath,
    [join(appDir, file as string), ...args.map((a) => (a === 'dev' ? '--version' : a))],
    {
      cwd: appDir,
      env: { ...process.env, PATH: `${turbo.dir}${delimiter}${process.env.PATH ?? ''}` },
    },
  )
  const chunks: Array<{ at: number; text: string }> = []
  const record = (chunk: Buffer) => chunks.push({ at: Date.now() - started, text: chunk.toString() })
  child.stdout.on('data', record)
  child.stderr.on('data', record)
  return new Promise<{ code: number | null; chunks: typeof chunks }>((done) => {
    child.once('exit', (code) => done({ code, chunks }))
  })
}

describe('pnpm dev while the first build runs', () => {
  it('says at once that it is building, shows the build output, then starts molecule-runtime', async () => {
    const turbo = fakeTurbo(1500, 0)
    const { code, chunks } = await runScript(scripts.dev as string, turbo)
    const text = chunks.map((c) => c.text).join('')
    expect(code).toBe(0)
    expect(chunks[0]?.text).toMatch(/^molecule: building .*first build takes about a minute/)
    expect(chunks[0]?.at).toBeLessThan(1500)
    expect(text).toMatch(/@molecule\/core:build: ESM Build success/)
    expect(text.trim().split('\n').at(-1)).toMatch(/^\d+\.\d+\.\d+$/)
    const turboArgs = readFileSync(turbo.argsFile, 'utf8').trim().split('\n')
    expect(turboArgs).toContain('--filter=@molecule/runtime...')
    expect(turboArgs).not.toContain('--output-logs=errors-only')
  })

  it('a failed build says so and does not start molecule-runtime', async () => {
    const { code, chunks } = await runScript(scripts.dev as string, fakeTurbo(0, 3))
    const text = chunks.map((c) => c.text).join('')
    expect(code).toBe(3)
    expect(text).toMatch(/the build failed \(see above\); molecule-runtime was not started/)
    expect(text).not.toMatch(/^\d+\.\d+\.\d+$/m)
  })
})
