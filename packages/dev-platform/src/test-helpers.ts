import { randomUUID } from 'node:crypto'
import { createServer, type IncomingHttpHeaders } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { DevPlatformOptions } from './options.js'
import { type RunningDevPlatform, startDevPlatform } from './start-dev-platform.js'

/** Parsed HTTP answer; `body` is loosely typed because tests index into arbitrary JSON. */
export interface TestResponse {
  status: number
  // biome-ignore lint/suspicious/noExplicitAny: tests index into arbitrary JSON bodies
  body: any
  headers: Headers
}

/** Test-only helpers: a started platform plus small fetch wrappers (real HTTP on 127.0.0.1). */
export interface TestPlatform extends RunningDevPlatform {
  call(
    method: string,
    path: string,
    options?: { body?: unknown; token?: string; headers?: Record<string, string> },
  ): Promise<TestResponse>
  register(
    id?: string,
    extra?: Record<string, unknown>,
    token?: string,
  ): Promise<{ id: string; token: string }>
}

export async function startTestPlatform(options: DevPlatformOptions = {}): Promise<TestPlatform> {
  const running = await startDevPlatform({ logLevel: 'silent', ...options })
  const call: TestPlatform['call'] = async (method, path, opts = {}) => {
    const headers: Record<string, string> = { ...(opts.headers ?? {}) }
    if (opts.body !== undefined) headers['Content-Type'] = 'application/json'
    if (opts.token) headers.Authorization = `Bearer ${opts.token}`
    const response = await fetch(`${running.url}${path}`, {
      method,
      headers,
      ...(opts.body !== undefined
        ? { body: typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body) }
        : {}),
    })
    const text = await response.text()
    let body: unknown = text
    try {
      body = JSON.parse(text)
    } catch {
      // plain text body
    }
    return { status: response.status, body, headers: response.headers }
  }
  const register: TestPlatform['register'] = async (id = randomUUID(), extra = {}, token) => {
    const res = await call('POST', '/registry/register', {
      body: { id, url: 'http://127.0.0.1:9', agent_card: { name: `ws-${id.slice(0, 4)}` }, ...extra },
      ...(token ? { token } : {}),
    })
    if (res.status !== 200) throw new Error(`register failed: ${res.status} ${JSON.stringify(res.body)}`)
    return { id, token: (res.body as { auth_token: string }).auth_token }
  }
  return { ...running, call, register }
}

export interface FakeAgent {
  url: string
  /** JSON bodies received, in order. */
  received: Array<Record<string, unknown>>
  /** The headers of each request, in the same order. */
  receivedHeaders: IncomingHttpHeaders[]
  /** Milliseconds to wait before answering (set per test to simulate a busy agent). */
  delayMs: number
  /** Override the answer: return [status, body]. Default: a JSON-RPC echo of the first text part. */
  respond: ((body: Record<string, unknown>) => [number, unknown]) | undefined
  close(): Promise<void>
}

/** A tiny A2A agent on 127.0.0.1 that echoes the text it receives as a JSON-RPC message result. */
export async function startFakeAgent(): Promise<FakeAgent> {
  const agent: FakeAgent = {
    url: '',
    received: [],
    receivedHeaders: [],
    delayMs: 0,
    respond: undefined,
    close: async () => {},
  }
  const server = createServer((req, res) => {
    let raw = ''
    req.on('data', (chunk: Buffer) => {
      raw += chunk.toString('utf8')
    })
    req.on('end', () => {
      const body = JSON.parse(raw) as Record<string, unknown>
      agent.received.push(body)
      agent.receivedHeaders.push(req.headers)
      const [status, reply] = agent.respond?.(body) ?? [200, echoReply(body)]
      setTimeout(() => {
        if (res.destroyed) return
        res.writeHead(status, { 'Content-Type': 'application/json' })
        res.end(JSON.stringify(reply))
      }, agent.delayMs)
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  agent.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  agent.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections()
      server.close(() => resolve())
    })
  return agent
}

function echoReply(body: Record<string, unknown>) {
  const message = (body.params as { message?: { parts?: Array<{ text?: string }> } } | null)?.message
  const text = message?.parts?.[0]?.text ?? ''
  return {
    jsonrpc: '2.0',
    id: body.id,
    result: {
      kind: 'message',
      messageId: 'r-1',
      role: 'agent',
      parts: [{ kind: 'text', text: `echo: ${text}` }],
    },
  }
}

/** A JSON-RPC `message/send` body with one text part. */
export function sendBody(text: string, messageId?: string) {
  return {
    jsonrpc: '2.0',
    id: randomUUID(),
    method: 'message/send',
    params: {
      message: { role: 'user', ...(messageId ? { messageId } : {}), parts: [{ kind: 'text', text }] },
    },
  }
}

/** Collects events of the in-process bus (what SSE/`GET /events` are built from). */
export function collectEvents(
  platform: RunningDevPlatform,
): Array<{ event: string; workspaceId: string; payload: Record<string, unknown> }> {
  const seen: Array<{ event: string; workspaceId: string; payload: Record<string, unknown> }> = []
  platform.state.events.subscribe((e) =>
    seen.push({ event: e.event, workspaceId: e.workspaceId, payload: e.payload }),
  )
  return seen
}
