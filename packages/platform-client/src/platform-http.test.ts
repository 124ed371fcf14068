import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { freePort, type ScriptedReply, startScriptedServer } from '../test/support/scripted-server.js'
import { PlatformClient } from './client.js'
import { PlatformError } from './errors.js'
import { TokenStore } from './token-store.js'

const WS = '0b6f7c1e-5d2a-4c8e-9a71-2f4d6e8b9c10'
const TOKEN = 'Zm9vYmFyYmF6cXV4cXV1eGNvcmdlZ3JhdWx0Z2FycGx5Zm9v'
const FAST = { attempts: 3, baseMs: 1, maxMs: 5 }

const servers: Array<{ close: () => Promise<void> }> = []
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()))
})

async function serve(
  reply: (req: { method: string; path: string; body: string }, i: number) => ScriptedReply,
) {
  const server = await startScriptedServer(reply)
  servers.push(server)
  return server
}

function client(url: string, extra: Partial<ConstructorParameters<typeof PlatformClient>[0]> = {}) {
  return new PlatformClient({
    platformUrl: url,
    workspaceId: WS,
    token: TOKEN,
    retry: FAST,
    timeoutMs: 2000,
    ...extra,
  })
}

async function failure(promise: Promise<unknown>): Promise<PlatformError> {
  try {
    await promise
  } catch (err) {
    expect(err).toBeInstanceOf(PlatformError)
    return err as PlatformError
  }
  throw new Error('expected the call to fail')
}

function expectNoToken(err: PlatformError) {
  const everything = `${err.message} ${err.bodyExcerpt ?? ''} ${err.serverError ?? ''} ${JSON.stringify(err)}`
  expect(everything).not.toContain(TOKEN)
}

describe('PlatformHttp via PlatformClient', () => {
  it('sends each header field once whatever the case callers spell it in, the client’s own values winning', async () => {
    const server = await serve(() => ({ status: 200, body: { status: 'ok' } }))
    const spelled = client(server.url, {
      headers: { Accept: 'text/plain', 'x-workspace-id': 'spoofed', Authorization: 'Bearer other' },
    })
    await spelled.heartbeat({ active_tasks: 1 })
    await spelled.rawRequest('GET', '/registry/x', { query: { q: 'a b' } })
    for (const req of server.requests) {
      const names = req.rawHeaders.filter((_, i) => i % 2 === 0).map((n) => n.toLowerCase())
      expect(new Set(names).size).toBe(names.length)
      expect(req.headers['x-workspace-id']).toBe(WS)
      expect(req.headers.authorization).toBe(`Bearer ${TOKEN}`)
      expect(req.headers.accept).toBe('text/plain')
    }
    expect(server.requests[1]?.path).toBe('/registry/x?q=a+b')
  })

  it('sends the bearer token, X-Workspace-ID and SaaS headers on every call', async () => {
    const server = await serve(() => ({ status: 200, body: { status: 'ok' } }))
    await client(server.url, { orgId: 'org-1', origin: server.url }).heartbeat({ active_tasks: 1 })
    const req = server.requests[0]!
    expect(req.method).toBe('POST')
    expect(req.path).toBe('/registry/heartbeat')
    expect(req.headers.authorization).toBe(`Bearer ${TOKEN}`)
    expect(req.headers['x-workspace-id']).toBe(WS)
    expect(req.headers['x-molecule-org-id']).toBe('org-1')
    expect(req.headers.origin).toBe(server.url)
    expect(JSON.parse(req.body)).toEqual({ active_tasks: 1, workspace_id: WS })
  })

  it('sends no Authorization header before a token is known', async () => {
    const server = await serve(() => ({ status: 200, body: { status: 'ok' } }))
    await client(server.url, { token: undefined }).heartbeat()
    expect(server.requests[0]?.headers.authorization).toBeUndefined()
  })

  it('retries idempotent calls on 5xx with backoff and succeeds', async () => {
    const server = await serve((_, i) =>
      i < 2 ? { status: 503, body: { error: 'down' } } : { status: 200, body: { status: 'ok' } },
    )
    await expect(client(server.url).heartbeat()).resolves.toMatchObject({ status: 'ok' })
    expect(server.requests.length).toBe(3)
  })

  it('gives up after the configured attempts with PLATFORM_HTTP and a masked excerpt', async () => {
    const server = await serve(() => ({
      status: 500,
      body: { error: `db down; token=${TOKEN}`, auth: `Bearer ${TOKEN}` },
    }))
    const err = await failure(client(server.url).listPeers())
    expect(err).toMatchObject({ code: 'PLATFORM_HTTP', status: 500, endpoint: `GET /registry/${WS}/peers` })
    expect(err.bodyExcerpt).toContain('db down')
    expect(err.bodyExcerpt!.length).toBeLessThanOrEqual(300)
    expectNoToken(err)
    expect(server.requests.length).toBe(3)
  })

  it('never retries non-idempotent writes (notify, delegate, memory)', async () => {
    const server = await serve(() => ({ status: 502, body: { error: 'bad gateway' } }))
    const c = client(server.url)
    await failure(c.notify({ message: 'hi' }))
    await failure(c.delegate({ targetId: WS, task: 'x' }))
    await failure(c.commitMemory({ content: 'x', scope: 'LOCAL' }))
    expect(server.requests.length).toBe(3)
  })

  it('sends Origin as a serialized origin (scheme://host[:port]), never with the base URL path', async () => {
    const server = await serve(() => ({ status: 200, body: { status: 'ok' } }))
    const port = new URL(server.url).port
    await client(server.url, { origin: `http://127.0.0.1:${port}/tenant/acme/` }).heartbeat()
    expect(server.requests[0]?.headers.origin).toBe(`http://127.0.0.1:${port}`)
    await client(server.url, { origin: 'https://acme.example.com:443/api' }).heartbeat()
    expect(server.requests[1]?.headers.origin).toBe('https://acme.example.com')
  })

  it('does not retry 4xx answers', async () => {
    const server = await serve(() => ({ status: 400, body: { error: 'invalid request body' } }))
    const err = await failure(client(server.url).heartbeat())
    expect(err).toMatchObject({ code: 'PLATFORM_HTTP', status: 400, serverError: 'invalid request body' })
    expect(server.requests.length).toBe(1)
  })

  it('honours Retry-After on 429 (capped by maxMs)', async () => {
    const server = await serve((_, i) =>
      i === 0
        ? { status: 429, body: { error: 'rate limit exceeded' }, headers: { 'retry-after': '0' } }
        : { status: 200, body: [] },
    )
    await expect(client(server.url).listApprovals()).resolves.toEqual([])
    expect(server.requests.length).toBe(2)
  })

  it('does not retry sooner than a Retry-After longer than its own cap: fails at once with retryAfterMs', async () => {
    const server = await serve(() => ({
      status: 429,
      body: { error: 'rate limit exceeded', retry_after: 30 },
      headers: { 'retry-after': '30' },
    }))
    const started = Date.now()
    const err = await failure(client(server.url).listApprovals())
    expect(err).toMatchObject({ code: 'PLATFORM_HTTP', status: 429, retryAfterMs: 30_000 })
    expect(server.requests.length).toBe(1)
    expect(Date.now() - started).toBeLessThan(1000)
  })

  it('times out a hanging platform with PLATFORM_TIMEOUT and recovers when it answers again', async () => {
    let hang = true
    const server = await serve(() => (hang ? 'hang' : { status: 200, body: { status: 'ok' } }))
    const c = client(server.url, { timeoutMs: 100, retry: { attempts: 2, baseMs: 1, maxMs: 2 } })
    const started = Date.now()
    const err = await failure(c.heartbeat())
    expect(err.code).toBe('PLATFORM_TIMEOUT')
    expect(err.endpoint).toBe('POST /registry/heartbeat')
    expect(Date.now() - started).toBeLessThan(2000)
    expect(server.requests.length).toBe(2)
    hang = false
    await expect(c.heartbeat()).resolves.toMatchObject({ status: 'ok' })
  })

  it('reports a closed port as PLATFORM_UNREACHABLE', async () => {
    const port = await freePort()
    const err = await failure(client(`http://127.0.0.1:${port}`, { retry: { attempts: 1 } }).getWorkspace())
    expect(err.code).toBe('PLATFORM_UNREACHABLE')
    expect(err.message).toContain(`127.0.0.1:${port}`)
  })

  it('treats a dropped connection as unreachable and retries idempotent calls', async () => {
    const server = await serve((_, i) =>
      i === 0 ? 'destroy' : { status: 200, body: { id: WS, name: 'lead' } },
    )
    await expect(client(server.url).getWorkspace()).resolves.toMatchObject({ id: WS, name: 'lead' })
    expect(server.requests.length).toBe(2)
  })

  it('rejects a non-JSON or wrongly shaped 2xx with PLATFORM_BAD_RESPONSE, keeping unknown fields otherwise', async () => {
    let body: unknown = '<html>proxy</html>'
    const server = await serve(() => ({ status: 200, body }))
    const c = client(server.url)
    expect((await failure(c.heartbeat())).code).toBe('PLATFORM_BAD_RESPONSE')
    body = { nope: true }
    const shape = await failure(c.heartbeat())
    expect(shape.code).toBe('PLATFORM_BAD_RESPONSE')
    expect(shape.message).toContain('status')
    body = { status: 'ok', brand_new_field: 42 }
    await expect(c.heartbeat()).resolves.toEqual({ status: 'ok', brand_new_field: 42 })
  })

  it('re-reads a rotated token file once on 401 and retries with the new token', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'molecule-401-'))
    const store = new TokenStore(dir)
    await store.write('old-token-value')
    const server = await serve((req) =>
      (req as { headers?: Record<string, string> }).headers?.authorization === `Bearer ${TOKEN}`
        ? { status: 200, body: { status: 'ok' } }
        : { status: 401, body: { error: 'invalid workspace auth token' } },
    )
    writeFileSync(join(dir, '.auth_token'), TOKEN) // rotated behind the client's back
    const c = client(server.url, { token: store })
    await expect(c.heartbeat()).resolves.toMatchObject({ status: 'ok' })
    expect(server.requests.map((r) => r.headers.authorization)).toEqual([
      'Bearer old-token-value',
      `Bearer ${TOKEN}`,
    ])
  })

  it('throws PLATFORM_UNAUTHORIZED when the re-read token is the same (revoked), without leaking it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'molecule-401-'))
    const store = new TokenStore(dir)
    await store.write(TOKEN)
    const server = await serve(() => ({ status: 401, body: { error: 'invalid workspace auth token' } }))
    const err = await failure(client(server.url, { token: store }).heartbeat())
    expect(err).toMatchObject({
      code: 'PLATFORM_UNAUTHORIZED',
      status: 401,
      serverError: 'invalid workspace auth token',
    })
    expectNoToken(err)
    expect(server.requests.length).toBe(1)
  })

  it('stops at once when the caller aborts, with the caller reason', async () => {
    const server = await serve(() => 'hang')
    const controller = new AbortController()
    const pending = client(server.url, { timeoutMs: 10_000 }).heartbeat({}, { signal: controller.signal })
    setTimeout(() => controller.abort(new Error('shutting down')), 20)
    await expect(pending).rejects.toThrow('shutting down')
  })

  it('classifies A2A proxy outcomes: reply, busy queue (202), poll queue', async () => {
    let reply: ScriptedReply = { status: 200, body: { jsonrpc: '2.0', id: '1', result: { kind: 'message' } } }
    const server = await serve(() => reply)
    const c = client(server.url)
    const rpc = { jsonrpc: '2.0', id: '1', method: 'message/send', params: {} }
    expect(await c.sendA2A(WS, rpc)).toMatchObject({ kind: 'reply', status: 200 })
    reply = { status: 202, body: { queued: true, queue_id: 'q1', queue_depth: 2, message: 'busy' } }
    expect(await c.sendA2A(WS, rpc)).toMatchObject({ kind: 'queued-busy', queueId: 'q1', queueDepth: 2 })
    reply = { status: 200, body: { status: 'queued', delivery_mode: 'poll', method: 'message/send' } }
    expect(await c.sendA2A(WS, rpc, { timeoutMs: 5000 })).toMatchObject({
      kind: 'queued-poll',
      method: 'message/send',
    })
    expect(server.requests.at(-1)?.headers['x-timeout']).toBe('5')
    expect(server.requests.at(-1)?.headers['x-source-workspace-id']).toBe(WS)
    expect(server.requests.at(-1)?.headers['x-workspace-id']).toBe(WS)
    reply = {
      status: 503,
      body: { error: 'busy', busy: true, retry_after: 30 },
      headers: { 'retry-after': '30' },
    }
    const err = await failure(c.sendA2A(WS, rpc))
    expect(err).toMatchObject({ code: 'PLATFORM_HTTP', status: 503, retryAfterMs: 30_000 })
    expect(server.requests.length).toBe(4)
  })
})
