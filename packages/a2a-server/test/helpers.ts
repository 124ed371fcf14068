import type { ExecuteFn, Executor } from '@molecule/adapter-core'
import type { AgentCard } from '@molecule/adapter-core/a2a'
import { silentLogger } from '@molecule/core'
import { type A2AServer, type A2AServerOptions, createA2AServer } from '../src/index.js'

/** Wire JSON as tests read it: assertions check the shape, so the type stays open. */
// biome-ignore lint/suspicious/noExplicitAny: test-only view of arbitrary wire JSON
export type Json = any

export function testCard(url: string, extra: Partial<AgentCard> = {}): AgentCard {
  return {
    name: 'echo-agent',
    description: 'Echoes what it is told',
    version: '1.0.0',
    url,
    capabilities: { streaming: true, pushNotifications: false, stateTransitionHistory: true },
    defaultInputModes: ['text/plain', 'application/json'],
    defaultOutputModes: ['text/plain', 'application/json'],
    skills: [{ id: 'echo', name: 'Echo', description: 'Repeats input', tags: ['test'] }],
    ...extra,
  }
}

export const echo: ExecuteFn = async (ctx) => `echo: ${ctx.text}`

export interface Running {
  server: A2AServer
  url: string
  rpc(body: unknown, headers?: Record<string, string>): Promise<{ status: number; json: Json }>
  close(): Promise<void>
}

/** Starts a server on 127.0.0.1:0 and sets the card URL to where it listens. */
export async function start(
  executor: Executor | ExecuteFn = echo,
  options: Partial<A2AServerOptions> & { cardExtra?: Partial<AgentCard> } = {},
): Promise<Running> {
  const { cardExtra, ...rest } = options
  const server = createA2AServer({
    card: testCard('http://127.0.0.1:1/', cardExtra),
    executor,
    logger: silentLogger,
    sseKeepAliveMs: 0,
    ...rest,
  })
  const { url } = await server.listen({ port: 0, host: '127.0.0.1' })
  server.setCard(testCard(`${url}/`, cardExtra))
  return {
    server,
    url,
    async rpc(body, headers = {}) {
      const res = await fetch(`${url}/`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: typeof body === 'string' ? body : JSON.stringify(body),
      })
      const text = await res.text()
      return { status: res.status, json: text ? JSON.parse(text) : undefined }
    },
    close: () => server.close(),
  }
}

export function sendBody(text: string, extra: Record<string, unknown> = {}, id: number | string = 1) {
  return {
    jsonrpc: '2.0',
    id,
    method: 'message/send',
    params: {
      message: { kind: 'message', role: 'user', messageId: `m-${id}`, parts: [{ kind: 'text', text }] },
      ...extra,
    },
  }
}

/** Reads an SSE response into parsed `data:` payloads. */
export async function readSse(res: Response): Promise<Json[]> {
  const text = await res.text()
  return text
    .split('\n\n')
    .map((block) => block.split('\n').find((l) => l.startsWith('data: ')))
    .filter((l): l is string => l !== undefined)
    .map((l) => JSON.parse(l.slice(6)))
}

/** Resolves after `ms`; used only to let an in-flight request reach the server. */
export const tick = (ms = 5) => new Promise((r) => setTimeout(r, ms))
