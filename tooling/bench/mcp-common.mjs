// Shared helpers of the mcp-* benchmarks: spawn a stdio MCP server and talk newline-delimited JSON-RPC to it.

import { spawn } from 'node:child_process'
import { existsSync, mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { startDevPlatform } from '@molecule/dev-platform'

const here = dirname(fileURLToPath(import.meta.url))
export const BRIDGE = resolve(here, '../../apps/molecule-mcp/dist/molecule-mcp.js')
export const BARE = join(here, 'mcp-bare-server.mjs')

export function requireBundle() {
  if (!existsSync(BRIDGE)) {
    console.error(`missing ${BRIDGE}: run "pnpm --filter @molecule/mcp-app build" first`)
    process.exit(1)
  }
}

export const tempDir = (prefix) => mkdtempSync(join(tmpdir(), prefix))

export const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.floor(s.length / 2)]
}
export const percentile = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]
}

/** A spawned stdio MCP server with a tiny JSON-RPC client. */
export function spawnServer(file, env = {}) {
  const started = process.hrtime.bigint()
  // BENCH_NODE_ARGS: node flags NODE_OPTIONS refuses, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof".
  const nodeArgs = process.env.BENCH_NODE_ARGS?.split(' ').filter(Boolean) ?? []
  const child = spawn(process.execPath, [...nodeArgs, file], {
    env: {
      PATH: process.env.PATH,
      ...(process.env.BENCH_NODE_OPTIONS ? { NODE_OPTIONS: process.env.BENCH_NODE_OPTIONS } : {}),
      ...env,
    },
    stdio: ['pipe', 'pipe', 'pipe'],
  })
  // Kept for the error below: a server that dies at start would otherwise leave the bench waiting forever.
  let stderr = ''
  child.stderr.on('data', (chunk) => {
    stderr = (stderr + chunk).slice(-2000)
  })
  let buffer = ''
  let nextId = 1
  const pending = new Map()
  child.stdout.on('data', (chunk) => {
    buffer += chunk
    let nl = buffer.indexOf('\n')
    while (nl >= 0) {
      const line = buffer.slice(0, nl)
      buffer = buffer.slice(nl + 1)
      nl = buffer.indexOf('\n')
      if (!line.trim()) continue
      const msg = JSON.parse(line)
      const waiter = pending.get(msg.id)
      if (waiter) {
        pending.delete(msg.id)
        waiter(msg)
      }
    }
  })
  let exited
  child.once('exit', (code, signal) => {
    exited = new Error(`${file} exited (${signal ?? code}) before answering: ${stderr.trim() || 'no stderr'}`)
    for (const waiter of pending.values()) waiter(undefined, exited)
    pending.clear()
  })
  const request = (method, params = {}) =>
    new Promise((resolveReply, reject) => {
      if (exited) return reject(exited)
      const id = nextId++
      pending.set(id, (msg, err) => (err ? reject(err) : resolveReply(msg)))
      child.stdin.write(`${JSON.stringify({ jsonrpc: '2.0', id, method, params })}\n`)
    })
  const notify = (method, params = {}) =>
    child.stdin.write(`${JSON.stringify({ jsonrpc: '2.0', method, params })}\n`)
  return {
    child,
    started,
    request,
    async initialize() {
      const reply = await request('initialize', {
        protocolVersion: '2025-06-18',
        capabilities: {},
        clientInfo: { name: 'bench', version: '1' },
      })
      const ms = Number(process.hrtime.bigint() - started) / 1e6
      notify('notifications/initialized')
      return { reply, ms }
    },
    stop() {
      return new Promise((done) => {
        if (exited) return done()
        child.once('exit', done)
        child.kill('SIGTERM')
      })
    },
  }
}

/** A dev platform with one poll-mode external workspace, and the bridge env that serves it. */
export async function benchWorkspace() {
  const platform = await startDevPlatform({ port: 0, logLevel: 'silent' })
  const ws = await platform.createWorkspace({
    name: 'Bench',
    external: true,
    mint_token: true,
    delivery_mode: 'poll',
  })
  const env = {
    PLATFORM_URL: platform.url,
    WORKSPACE_ID: ws.id,
    MOLECULE_WORKSPACE_TOKEN: ws.token,
    CONFIGS_DIR: tempDir('mcp-bench-'),
  }
  return { platform, env }
}
