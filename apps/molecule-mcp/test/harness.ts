import { spawn } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import { existsSync, mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { Client } from '@modelcontextprotocol/sdk/client/index.js'
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js'
import { type RunningDevPlatform, startDevPlatform } from '@molecule/dev-platform'
import { PlatformClient } from '@molecule/platform-client'
import { afterAll, beforeAll } from 'vitest'

export const BUNDLE = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'molecule-mcp.js')

export function assertBuilt(): void {
  if (!existsSync(BUNDLE)) {
    throw new Error(`${BUNDLE} is missing: run "pnpm --filter @molecule/mcp-app build" before these tests`)
  }
}

export interface Ws {
  id: string
  token: string
  name: string
}

/** `from` sends `text` to workspace `to` through the platform's A2A proxy, as a peer agent would. */
export function sendPeerText(platform: RunningDevPlatform, from: Ws, to: string, text: string) {
  const client = new PlatformClient({ platformUrl: platform.url, workspaceId: from.id, token: from.token })
  return client.sendA2A(to, {
    jsonrpc: '2.0',
    id: randomUUID(),
    method: 'message/send',
    params: { message: { role: 'user', messageId: randomUUID(), parts: [{ kind: 'text', text }] } },
  })
}

/**
 * For a test file: checks the bundle is built, then runs one dev platform for the file's tests and hands it to
 * `onStart` (tests keep it in a `let`); it is closed after the last test.
 */
export function useDevPlatform(
  onStart: (platform: RunningDevPlatform) => void,
  options: { adminToken?: string } = {},
): void {
  let platform: RunningDevPlatform | undefined
  beforeAll(async () => {
    assertBuilt()
    platform = await startDevPlatform({ port: 0, logLevel: 'silent', ...options })
    onStart(platform)
  })
  afterAll(async () => {
    await platform?.close()
  })
}

export async function externalWorkspace(platform: RunningDevPlatform, name: string): Promise<Ws> {
  const created = await platform.createWorkspace({
    name,
    external: true,
    mint_token: true,
    delivery_mode: 'poll',
  })
  if (!created.token) throw new Error('the dev platform minted no token')
  return { id: created.id, token: created.token, name }
}

export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), prefix))
}

/** Fast timers so the end-to-end tests run in well under a second per step. */
export function baseEnv(platformUrl: string, configsDir: string): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '',
    HOME: configsDir,
    PLATFORM_URL: platformUrl,
    CONFIGS_DIR: configsDir,
    MOLECULE_HEARTBEAT_INTERVAL_MS: '200',
    MOLECULE_MCP_POLL_INTERVAL_MS: '50',
  }
}

export function multiEnv(platformUrl: string, configsDir: string, workspaces: Ws[]): Record<string, string> {
  return {
    ...baseEnv(platformUrl, configsDir),
    MOLECULE_WORKSPACES: JSON.stringify(workspaces.map((w) => ({ id: w.id, token: w.token }))),
  }
}

export function singleEnv(platformUrl: string, configsDir: string, ws: Ws): Record<string, string> {
  return { ...baseEnv(platformUrl, configsDir), WORKSPACE_ID: ws.id, MOLECULE_WORKSPACE_TOKEN: ws.token }
}

export interface Bridge {
  client: Client
  transport: StdioClientTransport
  stderr: () => string
  /** Protocol errors the client saw (e.g. a non-JSON line on stdout). */
  protocolErrors: () => Error[]
  call(name: string, args?: Record<string, unknown>): Promise<{ text: string; isError: boolean }>
  close(): Promise<void>
  kill(): void
}

/** Spawns the built single-file bridge with the real MCP SDK client over stdio. */
export async function startBridge(env: Record<string, string>): Promise<Bridge> {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [BUNDLE],
    env,
    stderr: 'pipe',
  })
  let stderr = ''
  transport.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString()
  })
  const client = new Client({ name: 'e2e', version: '1.0.0' })
  const errors: Error[] = []
  client.onerror = (err) => errors.push(err)
  await client.connect(transport)
  return {
    client,
    transport,
    stderr: () => stderr,
    protocolErrors: () => errors,
    async call(name, args = {}) {
      const result = (await client.callTool({ name, arguments: args })) as {
        content: Array<{ type: string; text: string }>
        isError?: boolean
      }
      return { text: result.content.map((c) => c.text).join(''), isError: result.isError === true }
    },
    async close() {
      await client.close()
    },
    kill() {
      const pid = transport.pid
      if (pid) process.kill(pid, 'SIGKILL')
    },
  }
}

/** Polls `wait_for_message` until a message matching `match` is at the head (others are left alone). */
export async function nextMessage(bridge: Bridge, timeoutSecs = 5): Promise<Record<string, unknown>> {
  const { text } = await bridge.call('wait_for_message', { timeout_secs: timeoutSecs })
  const parsed = JSON.parse(text) as Record<string, unknown>
  if (parsed.timeout) throw new Error(`no message within ${timeoutSecs}s; bridge stderr:\n${bridge.stderr()}`)
  return parsed
}

export async function until<T>(
  what: string,
  probe: () => T | undefined | Promise<T | undefined>,
  ms = 5_000,
): Promise<T> {
  const deadline = Date.now() + ms
  for (;;) {
    const value = await probe()
    if (value !== undefined && value !== false) return value
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 25))
  }
}

/** Runs the bundle to completion (for exit-code tests). */
export function runBundle(
  args: string[],
  env: Record<string, string>,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    // stdin stays open like an MCP host's pipe (a closed stdin means "host gone" and exits 0).
    const child = spawn(process.execPath, [BUNDLE, ...args], { env, stdio: ['pipe', 'pipe', 'pipe'] })
    const guard = setTimeout(() => child.kill('SIGKILL'), 10_000)
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()))
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()))
    child.on('close', (code) => {
      clearTimeout(guard)
      resolve({ code, stdout, stderr })
    })
  })
}
