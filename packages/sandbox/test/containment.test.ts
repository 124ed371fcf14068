/**
 * The containment suite, run against the real bwrap sandbox and against the subprocess fallback. Each expectation
 * the subprocess backend cannot meet is its own test named "cannot meet: …", asserting what actually happens there,
 * so the gap is visible in the test report rather than skipped.
 */
import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { createServer, type Server } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { credentialSamples, until, workspaceTokens } from '@molecule/test-support'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createSandbox, findBwrap, type RunCodeResult, type RunCodeSuccess } from '../src/index.js'

const runsAsRoot = process.getuid?.() === 0
const sandboxUid = runsAsRoot ? 65534 : (process.getuid?.() ?? -1)

function ok(result: RunCodeResult): RunCodeSuccess {
  if ('error' in result) throw new Error(`run failed: ${result.error}`)
  return result
}

function processesOfSandboxUser(): number {
  let count = 0
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    try {
      if (statSync(`/proc/${entry}`).uid === sandboxUid) count++
    } catch {
      // gone
    }
  }
  return count
}

it('bwrap is installed here, so the real sandbox is what the suite exercises (.ci/run installs it)', () => {
  expect(findBwrap()).toBeDefined()
})

describe.each(['bwrap', 'subprocess'] as const)('run_code containment: %s backend', (backend) => {
  const isolated = backend === 'bwrap'
  const sandbox = createSandbox({ backend, limits: { timeoutSeconds: 5, maxProcesses: 32 } })
  const token = workspaceTokens(1, 0x5a4d)[0] as string
  const apiKey = (credentialSamples().find((s) => s.kind.includes('anthropic')) ?? credentialSamples()[0])!
    .secret
  let configsDir = ''
  let server: Server
  let port = 0
  let connections = 0

  beforeAll(async () => {
    configsDir = mkdtempSync(join(tmpdir(), 'sandbox-configs-'))
    writeFileSync(join(configsDir, '.auth_token'), token, { mode: 0o600 })
    process.env.MOLECULE_TEST_API_KEY = apiKey
    process.env.MOLECULE_TEST_TOKEN = token
    server = createServer((socket) => {
      connections++
      socket.end('hello')
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    port = (server.address() as { port: number }).port
  })

  afterAll(async () => {
    delete process.env.MOLECULE_TEST_API_KEY
    delete process.env.MOLECULE_TEST_TOKEN
    rmSync(configsDir, { recursive: true, force: true })
    await new Promise<void>((resolve) => server.close(() => resolve()))
  })

  it('shows the code an environment with no secret and no token', async () => {
    const result = ok(await sandbox.run('env', 'shell'))
    expect(result.exit_code).toBe(0)
    expect(result.backend).toBe(backend)
    expect(result.stdout).not.toContain(token)
    expect(result.stdout).not.toContain(apiKey)
    expect(result.stdout).not.toContain('MOLECULE_TEST')
    const names = result.stdout
      .split('\n')
      .filter(Boolean)
      .map((line) => line.split('=')[0])
    for (const name of names) expect(['PATH', 'HOME', 'TMPDIR', 'LANG', 'PWD', 'SHLVL', '_']).toContain(name)
  })

  if (isolated || runsAsRoot) {
    it("cannot read the configs dir's .auth_token", async () => {
      const result = ok(await sandbox.run(`cat ${join(configsDir, '.auth_token')}`, 'shell'))
      expect(result.exit_code).not.toBe(0)
      expect(result.stdout).not.toContain(token)
      expect(result.stderr).toMatch(isolated ? /No such file/ : /Permission denied/)
    })
  } else {
    it('cannot meet: a non-root runtime runs subprocess code as itself, which can read its own token file', async () => {
      const result = ok(await sandbox.run(`cat ${join(configsDir, '.auth_token')}`, 'shell'))
      expect(result.stdout).toContain(token)
    })
  }

  const connect = `
import socket
s = socket.create_connection(("127.0.0.1", PORT), timeout=2)
print("connected", s.recv(5))
`
  if (isolated) {
    it('cannot open a network connection to 127.0.0.1', async () => {
      const before = connections
      const result = ok(await sandbox.run(connect.replace('PORT', String(port)), 'python'))
      expect(result.exit_code).not.toBe(0)
      expect(result.stdout).not.toContain('connected')
      expect(result.stderr).toMatch(/ConnectionRefusedError|Network is unreachable/)
      expect(connections).toBe(before)
    })
  } else {
    it('cannot meet: subprocess code shares the host network and reaches 127.0.0.1', async () => {
      const result = ok(await sandbox.run(connect.replace('PORT', String(port)), 'python'))
      expect(result.stdout).toContain("connected b'hello'")
    })
  }

  it('kills `while True: pass` at the timeout while the runtime stays responsive', async () => {
    const short = createSandbox({ backend, limits: { timeoutSeconds: 1.5 } })
    let ticks = 0
    const ticker = setInterval(() => ticks++, 20)
    const started = Date.now()
    const result = await short.run('while True: pass', 'python')
    const elapsed = Date.now() - started
    clearInterval(ticker)
    expect(result).toEqual({ error: 'Timeout after 1.5s', exit_code: -1 })
    expect(elapsed).toBeGreaterThanOrEqual(1400)
    expect(elapsed).toBeLessThan(4000)
    // The event loop kept turning during the run (a 20 ms interval over ~1.5 s).
    expect(ticks).toBeGreaterThan(30)
    expect(ok(await short.run('print(6 * 7)', 'python')).stdout).toBe('42\n')
  })

  it('contains a fork bomb: the process count stays bounded and nothing survives the run', async () => {
    const bomb = createSandbox({ backend, limits: { timeoutSeconds: 3, maxProcesses: 32 } })
    const baseline = processesOfSandboxUser()
    let peak = 0
    const sampler = setInterval(() => {
      peak = Math.max(peak, processesOfSandboxUser())
    }, 50)
    const started = Date.now()
    const result = await bomb.run(':(){ :|:& };:\nwait', 'bash')
    clearInterval(sampler)
    expect(Date.now() - started).toBeLessThan(8000)
    // The timeout ended it, or the shell ran out of processes, or the shell returned while its background copies
    // multiplied (they are killed with the run's process group): each is contained if the count stays bounded and
    // nothing outlives the run, which is what is checked below.
    if (!('error' in result))
      expect(result.exit_code === 0 || /fork|Resource temporarily unavailable/.test(result.stderr)).toBe(true)
    // bwrap adds its own two processes beside the 32 the code may have.
    expect(peak - baseline).toBeLessThanOrEqual(32 + 3)
    await until(() => processesOfSandboxUser() <= baseline, 5000, 'every process of the bomb gone')
    expect(ok(await bomb.run('echo alive', 'shell')).stdout).toBe('alive\n')
  })

  it('contains 100 MB of output: each stream capped, the runtime holds none of the rest', async () => {
    const rssBefore = process.memoryUsage().rss
    const result = ok(
      await sandbox.run(
        'import sys\nchunk = "x" * 1_000_000\nfor _ in range(100):\n    sys.stdout.write(chunk)\n    sys.stderr.write(chunk)',
        'python',
      ),
    )
    expect(result.exit_code).toBe(0)
    expect(result.stdout.length).toBe(10_000)
    expect(result.stderr.length).toBe(10_000)
    expect(process.memoryUsage().rss - rssBefore).toBeLessThan(64 * 1024 ** 2)
  })

  it('refuses a 100 MB file (file size limit) and more memory than the limit', async () => {
    const big = ok(await sandbox.run('open("big.bin", "wb").write(b"x" * 100_000_000)', 'python'))
    expect(big.exit_code).not.toBe(0)
    expect(big.stderr).toMatch(/File too large|MemoryError/)
    const hungry = ok(await sandbox.run('x = bytearray(600 * 1024 * 1024)', 'python'))
    expect(hungry.exit_code).not.toBe(0)
    expect(hungry.stderr).toContain('MemoryError')
  })

  it('forgets files between calls (the working directory and TMPDIR)', async () => {
    const write = ok(
      await sandbox.run('echo one > note.txt && echo two > "$TMPDIR/scratch.txt" && cat note.txt', 'shell'),
    )
    expect(write.stdout).toBe('one\n')
    const read = ok(await sandbox.run('ls note.txt "$TMPDIR/scratch.txt" 2>&1; echo "exit=$?"', 'shell'))
    expect(read.stdout).not.toMatch(/^(note|.*scratch)\.txt$/m)
    expect(read.stdout).toContain('exit=2')
  })

  const marker = `molecule-sandbox-marker-${process.pid}-${backend}`
  if (isolated) {
    it('forgets files written to /tmp too (a private tmpfs)', async () => {
      ok(await sandbox.run(`echo x > /tmp/${marker}`, 'shell'))
      expect(() => statSync(join('/tmp', marker))).toThrow()
      const read = ok(await sandbox.run(`cat /tmp/${marker}`, 'shell'))
      expect(read.exit_code).not.toBe(0)
    })
  } else {
    it('cannot meet: subprocess code writing an absolute /tmp path writes the host /tmp, which outlives the call', async () => {
      ok(await sandbox.run(`echo x > /tmp/${marker}`, 'shell'))
      const read = ok(await sandbox.run(`cat /tmp/${marker}`, 'shell'))
      rmSync(join('/tmp', marker), { force: true })
      expect(read.stdout).toBe('x\n')
    })
  }
})
