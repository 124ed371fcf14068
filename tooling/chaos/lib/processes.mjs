// The shipped programs as child processes: molecule-mcp (the bundle) with a small MCP client, molecule-runtime.
import { spawn } from 'node:child_process'
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../..')
export const BRIDGE = join(root, 'apps/molecule-mcp/dist/molecule-mcp.js')
export const RUNTIME = join(root, 'apps/runtime/bin/molecule-runtime.js')

export function requireBuilt() {
  for (const file of [BRIDGE, join(root, 'apps/runtime/dist/cli.js')]) {
    if (!existsSync(file)) {
      console.error(`missing ${file}: run "pnpm build" first`)
      process.exit(1)
    }
  }
}

export const tempDir = (prefix) => mkdtempSync(join(tmpdir(), prefix))
export const sleep = (ms) => new Promise((r) => setTimeout(r, ms))

/** Output of a child kept whole (bounded) so the run can look for stack traces and secrets in it. */
function capture(stream, limit = 4_000_000) {
  const out = { text: '' }
  stream.setEncoding('utf8')
  stream.on('data', (chunk) => {
    if (out.text.length < limit) out.text += chunk
  })
  return out
}

/** A stdio MCP server with a JSON-RPC client whose every request times out. */
export function spawnBridge(env, { wrap } = {}) {
  const fullEnv = { PATH: process.env.PATH, HOME: env.HOME ?? tmpdir(), ...env }
  const stdio = ['pipe', 'pipe', 'pipe']
  // `wrap` runs the bridge under a shell prefix (e.g. a file-size limit).
  const child = wrap
    ? spawn('bash', ['-c', `${wrap}; exec "$0" "$1"`, process.execPath, BRIDGE], { env: fullEnv, stdio })
    : spawn(process.execPath, [BRIDGE], { env: fullEnv, stdio })
  const stderr = capture(child.stderr)
  let stdoutText = ''
  let buffer = ''
  let nextId = 1
  const pending = new Map()
  child.stdout.setEncoding('utf8')
  child.stdout.on('data', (chunk) => {
    if (stdoutText.length < 4_000_000) stdoutText += chunk
    buffer += chunk
    for (let nl = buffer.indexOf('\n'); nl >= 0; nl = buffer.indexOf('\n')) {
      const line = buffer.slice(0, nl)
      buffer = buffer.slice(nl + 1)
      if (!line.trim()) continue
      let msg
      try {
        msg = JSON.parse(line)
      } catch {
        continue
      }
      pending.get(msg.id)?.(msg)
      pending.delete(msg.id)
    }
  })
  const exit = new Promise((done) => child.once('exit', (code, signal) => done({ code, signal })))
  child.stdin.on('error', () => {})
  const request = (method, params = {}, timeoutMs = 20_000) =>
    new Promise((done, fail) => {
      if (child.exitCode !== null || child.signalCode !== null) return fail(new Error('bridge exited'))
      const id = nextId++
      const timer = setTimeout(() => {
        pending.delete(id)
        fail(new Error(`${method} timed out`))
      }, timeoutMs)
      pending.set(id, (msg) => {
        clearTimeout(timer)
        done(msg)
      })
      child.stdin.write(`${JSON.stringify({ jsonrpc: '2.0', id, method, params })}\n`)
    })
  return {
    child,
    exit,
    stderr,
    get stdout() {
      return stdoutText
    },
    async initialize() {
      await request('initialize', {
        protocolVersion: '2025-06-18',
        capabilities: {},
        clientInfo: { name: 'chaos', version: '1' },
      })
      child.stdin.write(`${JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' })}\n`)
    },
    request,
    /** `tools/call`; resolves with the text of the result, or `{ error }` for a JSON-RPC error. */
    async call(name, args, timeoutMs) {
      const msg = await request('tools/call', { name, arguments: args }, timeoutMs)
      if (msg.error) return { error: msg.error, text: '' }
      return {
        text: (msg.result?.content ?? []).map((c) => c.text ?? '').join(''),
        isError: msg.result?.isError,
      }
    },
    alive: () => child.exitCode === null && child.signalCode === null,
    async stop(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal)
      return exit
    },
  }
}

/** `molecule-runtime` with its state under `dir`, loopback, fast timers. */
export function spawnRuntime({ workspaceId, platformUrl, dir, port = 0, extraEnv = {}, wrap }) {
  const env = {
    PATH: process.env.PATH,
    HOME: dir,
    WORKSPACE_ID: workspaceId,
    WORKSPACE_CONFIG_PATH: dir,
    PLATFORM_URL: platformUrl,
    MOLECULE_A2A_PORT: String(port),
    MOLECULE_HEARTBEAT_INTERVAL_MS: '1000',
    MOLECULE_REGISTER_RETRY_BASE_MS: '100',
    MOLECULE_REGISTER_RETRY_MAX_MS: '2000',
    MOLECULE_SHUTDOWN_GRACE_MS: '500',
    ...extraEnv,
  }
  // `wrap` runs the runtime under a shell prefix (e.g. a file-size limit).
  const child = wrap
    ? spawn('bash', ['-c', `${wrap}; exec "$0" "$1"`, process.execPath, RUNTIME], {
        env,
        stdio: ['ignore', 'pipe', 'pipe'],
      })
    : spawn(process.execPath, [RUNTIME], { env, stdio: ['ignore', 'pipe', 'pipe'] })
  const stderr = capture(child.stderr)
  const stdout = capture(child.stdout)
  const exit = new Promise((done) => child.once('exit', (code, signal) => done({ code, signal })))
  const lines = () =>
    stderr.text
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => {
        try {
          return JSON.parse(l)
        } catch {
          return {}
        }
      })
  return {
    child,
    exit,
    stderr,
    stdout,
    lines,
    alive: () => child.exitCode === null && child.signalCode === null,
    /** The A2A port, once the runtime logged where it listens. */
    async port(timeoutMs = 15_000) {
      const end = Date.now() + timeoutMs
      while (Date.now() < end) {
        const line = lines().find((l) => l.msg === 'A2A server listening')
        if (line) return Number(String(line.bind).split(':').pop())
        if (child.exitCode !== null) throw new Error(`runtime exited: ${stderr.text.slice(-1500)}`)
        await sleep(50)
      }
      throw new Error('runtime did not start listening')
    },
    async stop(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal)
      return exit
    },
  }
}

/** RSS (MB) and open file descriptors of a live process, from /proc. */
export function procStats(pid) {
  try {
    const rss = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024
    const fds = readdirSync(`/proc/${pid}/fd`).length
    return { rss, fds }
  } catch {
    return undefined
  }
}
