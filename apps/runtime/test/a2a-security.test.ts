import { randomUUID } from 'node:crypto'
import { mkdtemp, readFile, writeFile } from 'node:fs/promises'
import { request } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { silentLogger } from '@molecule/core'
import { type RunningDevPlatform, startDevPlatform } from '@molecule/dev-platform'
import { until } from '@molecule/test-support'
import { afterEach, describe, expect, it } from 'vitest'
import { type RunningRuntime, startRuntime } from '../src/index.js'
import { inProcessEnv } from './support/runtime-process.js'

/** The `a2a` block of config.yaml reaches the A2A server the runtime serves (options tested in a2a-server). */
let runtime: RunningRuntime | undefined
let platform: RunningDevPlatform | undefined
afterEach(async () => {
  await runtime?.stop('test')
  await platform?.close()
  runtime = undefined
  platform = undefined
})

async function boot(a2aBlock: string) {
  platform = await startDevPlatform({ port: 0, logLevel: 'silent' })
  const root = await mkdtemp(join(tmpdir(), 'molecule-a2a-security-'))
  await writeFile(join(root, 'config.yaml'), `name: Guarded\nruntime: echo\na2a:\n${a2aBlock}`)
  const workspaceId = randomUUID()
  runtime = await startRuntime({
    logger: silentLogger,
    env: inProcessEnv(root, workspaceId, platform.url, { HOSTNAME: 'agent-guarded.local' }),
  })
  await runtime.registered
  const token = await until(
    async () => (await readFile(join(root, '.auth_token'), 'utf8').catch(() => '')) || false,
  )
  return { url: `http://127.0.0.1:${runtime.port}`, token }
}

function send(url: string, headers: Record<string, string> = {}, method = 'message/send', params?: unknown) {
  return fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({
      jsonrpc: '2.0',
      id: 1,
      method,
      params: params ?? { message: { role: 'user', messageId: 'm', parts: [{ kind: 'text', text: 'hi' }] } },
    }),
  })
}

/** The HTTP status of a JSON-RPC POST carrying this `Host` header (fetch cannot set it). */
function statusWithHost(url: string, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const headers = { host, 'content-type': 'application/json' }
    const req = request(`${url}/`, { method: 'POST', headers }, (res) => {
      res.resume()
      resolve(res.statusCode ?? 0)
    })
    req.on('error', reject)
    req.end(JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tasks/get', params: { id: 'x' } }))
  })
}

describe('a2a security settings of config.yaml', () => {
  it('auth: bearer needs the workspace token on JSON-RPC, but not on the agent card', async () => {
    const { url, token } = await boot('  auth: bearer\n')
    expect((await send(url)).status).toBe(401)
    expect((await send(url, { authorization: 'Bearer wrong' })).status).toBe(401)
    const ok = await send(url, { authorization: `Bearer ${token}` })
    expect(ok.status).toBe(200)
    expect(((await ok.json()) as { result: { parts: { text: string }[] } }).result.parts[0]?.text).toContain(
      'hi',
    )
    expect((await fetch(`${url}/.well-known/agent-card.json`)).status).toBe(200)
  })

  it('by default ListTasks is off, a foreign Host is refused, and the advertised host is accepted', async () => {
    const { url } = await boot('  port: 8000\n')
    const listed = (await (await send(url, { 'A2A-Version': '1.0' }, 'ListTasks', {})).json()) as {
      error?: { code: number; message: string }
    }
    expect(listed.error?.code).toBe(-32004)
    expect(listed.error?.message).toContain('a2a.list_tasks')
    expect(await statusWithHost(url, 'evil.example')).toBe(403)
    expect(await statusWithHost(url, `agent-guarded.local:${runtime?.port}`)).toBe(200)
  })

  it('list_tasks: true lists only the caller’s own tasks', async () => {
    const { url } = await boot('  list_tasks: true\n')
    await send(url, { 'X-Workspace-ID': 'ws-a' })
    await send(url, { 'X-Workspace-ID': 'ws-b' })
    const listed = (await (
      await send(url, { 'A2A-Version': '1.0', 'X-Workspace-ID': 'ws-a' }, 'ListTasks', {})
    ).json()) as { result: { tasks: unknown[] } }
    expect(listed.result.tasks).toHaveLength(1)
  })
})
