import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import { existsSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { fileURLToPath } from 'node:url'
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest'

const BIN = fileURLToPath(new URL('../bin/molecule-dev-platform.js', import.meta.url))
const DIST = fileURLToPath(new URL('../dist/cli.js', import.meta.url))

interface Started {
  child: ChildProcessWithoutNullStreams
  url: string
  stderr: () => string
  stdout: () => string
  startMs: number
}

const children: ChildProcessWithoutNullStreams[] = []

function start(args: string[], env: Record<string, string> = {}): Promise<Started> {
  const began = performance.now()
  const child = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, ...env } })
  children.push(child)
  let out = ''
  let err = ''
  child.stderr.on('data', (d: Buffer) => {
    err += d.toString()
  })
  return new Promise((resolve, reject) => {
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString()
      const match =
        /^(?:molecule-dev-platform console: \S+\n)?molecule-dev-platform listening on (http:\/\/127\.0\.0\.1:\d+)\n/.exec(
          out,
        )
      if (match?.[1])
        resolve({
          child,
          url: match[1],
          stderr: () => err,
          stdout: () => out,
          startMs: performance.now() - began,
        })
    })
    child.once('exit', (code) => reject(new Error(`exited ${code}: ${err}`)))
  })
}

function exitOf(child: ChildProcessWithoutNullStreams): Promise<number | null> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) resolve(child.exitCode)
    else child.once('exit', (code) => resolve(code))
  })
}

function run(
  args: string[],
  env: NodeJS.ProcessEnv = process.env,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [BIN, ...args], { env })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (d: Buffer) => {
    stdout += d.toString()
  })
  child.stderr.on('data', (d: Buffer) => {
    stderr += d.toString()
  })
  return exitOf(child).then((code) => ({ code, stdout, stderr }))
}

beforeAll(() => {
  if (!existsSync(DIST))
    throw new Error('dist/cli.js is missing: run `pnpm --filter @molecule/dev-platform build` first')
})

afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL')
})

describe('molecule-dev-platform bin', () => {
  it('prints the listening line, serves /health, and exits 0 on SIGTERM and SIGINT', async () => {
    for (const signal of ['SIGTERM', 'SIGINT'] as const) {
      const started = await start(['--port', '0', '--host', '127.0.0.1'])
      expect(started.startMs).toBeLessThan(5_000)
      const health = await fetch(`${started.url}/health`)
      expect(await health.json()).toEqual({ status: 'ok' })
      started.child.kill(signal)
      expect(await exitOf(started.child)).toBe(0)
    }
  })

  it('prints the console URL first; --no-console and MOLECULE_DEV_CONSOLE=0 turn the console off', async () => {
    const started = await start(['--port', '0', '--log-level', 'silent'])
    expect(started.stdout().split('\n')[0]).toBe(`molecule-dev-platform console: ${started.url}/`)
    const page = await fetch(`${started.url}/`)
    expect(page.headers.get('content-type')).toContain('text/html')
    for (const [args, env] of [
      [['--no-console'], {}],
      [[], { MOLECULE_DEV_CONSOLE: '0' }],
    ] as const) {
      const quiet = await start(['--port', '0', '--log-level', 'silent', ...args], env)
      expect(quiet.stdout()).not.toContain('console:')
      expect((await fetch(`${quiet.url}/`)).status).toBe(404)
    }
  })

  it('takes timers from MOLECULE_DEV_* variables', async () => {
    const started = await start(['--port', '0', '--log-level', 'silent'], {
      MOLECULE_DEV_DEGRADED_AFTER_MS: '30',
      MOLECULE_DEV_OFFLINE_AFTER_MS: '60',
      MOLECULE_DEV_SWEEP_INTERVAL_MS: '5',
    })
    const id = randomUUID()
    await fetch(`${started.url}/registry/register`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ id, url: 'http://127.0.0.1:9', agent_card: {} }),
    })
    await vi.waitFor(
      async () => {
        const ws = (await (await fetch(`${started.url}/workspaces/${id}`)).json()) as { status: string }
        expect(ws.status).toBe('offline')
      },
      { timeout: 3_000, interval: 20 },
    )
  })

  it('logs requests at debug level without ever logging a token', async () => {
    const started = await start(['--port', '0', '--log-level', 'debug'])
    const id = randomUUID()
    const reg = await fetch(`${started.url}/registry/register`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ id, url: 'http://127.0.0.1:9', agent_card: {} }),
    })
    const { auth_token: token } = (await reg.json()) as { auth_token: string }
    await fetch(`${started.url}/workspaces/${id}/activity`, { headers: { Authorization: `Bearer ${token}` } })
    await vi.waitFor(() => expect(started.stderr()).toContain(`/workspaces/${id}/activity`), {
      timeout: 3_000,
    })
    expect(started.stderr()).toContain('"msg":"request"')
    expect(started.stderr()).not.toContain(token)
  })

  it('documents its options with --help', async () => {
    const { code, stdout } = await run(['--help'])
    expect(code).toBe(0)
    for (const word of [
      '--port',
      '--host',
      'MOLECULE_DEV_OFFLINE_AFTER_MS',
      'MOLECULE_DEV_ADMIN_TOKEN',
      'SIGTERM',
    ]) {
      expect(stdout).toContain(word)
    }
  })

  it('rejects bad flags with one line and exit code 2', async () => {
    for (const args of [
      ['--port', 'eighty'],
      ['--frobnicate'],
      ['--log-level', 'loud'],
      ['--allow-origin', 'localhost:3000'],
      ['--allow-host', 'http://dev.example'],
    ]) {
      const { code, stderr } = await run(args)
      expect(code).toBe(2)
      expect(stderr.trim().split('\n')).toHaveLength(1)
      expect(stderr).toMatch(/^molecule-dev-platform: /)
      expect(stderr).not.toContain('    at ')
    }
  })

  it('refuses --host 0.0.0.0 without an admin token: exit 2, one line naming the option, no stack, never listening', async () => {
    // A loopback port held by the test: should the refusal ever regress, binding 0.0.0.0 on that port fails
    // (EADDRINUSE, exit 1) instead of listening beyond loopback.
    const held: Server = createServer()
    await new Promise<void>((resolve) => held.listen(0, '127.0.0.1', resolve))
    const port = (held.address() as AddressInfo).port
    const env = { ...process.env }
    delete env.MOLECULE_DEV_ADMIN_TOKEN
    delete env.MOLECULE_DEV_LENIENT
    try {
      const { code, stdout, stderr } = await run(['--host', '0.0.0.0', '--port', String(port)], env)
      expect(code).toBe(2)
      expect(stdout).not.toContain('listening')
      expect(stderr.trim().split('\n')).toHaveLength(1)
      expect(stderr).toMatch(/^molecule-dev-platform: host "0\.0\.0\.0" .*MOLECULE_DEV_ADMIN_TOKEN/)
      expect(stderr).not.toContain('    at ')
    } finally {
      await new Promise((resolve) => held.close(resolve))
    }
  })

  it('lets pages of an --allow-origin origin call it and refuses other origins with 403', async () => {
    const started = await start([
      '--port',
      '0',
      '--log-level',
      'silent',
      '--allow-origin',
      'http://localhost:3000',
    ])
    const health = (origin: string) => fetch(`${started.url}/health`, { headers: { Origin: origin } })
    expect((await health('http://localhost:3000')).status).toBe(200)
    const refused = await health('http://evil.example')
    expect(refused.status).toBe(403)
    expect(((await refused.json()) as { error: string }).error).toContain('--allow-origin')
  })

  it('reports a taken port clearly (exit 1)', async () => {
    const first = await start(['--port', '0', '--log-level', 'silent'])
    const port = new URL(first.url).port
    const { code, stderr } = await run(['--port', port])
    expect(code).toBe(1)
    expect(stderr).toContain(`cannot listen on 127.0.0.1:${port}`)
  })
})
