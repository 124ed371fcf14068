import type { AddressInfo } from 'node:net'
import { type ServerType, serve } from '@hono/node-server'
import { defineExecutor, type ExecuteFn, type Executor } from '@molecule/adapter-core'
import type { AgentCard } from '@molecule/adapter-core/a2a'
import { type Logger, silentLogger } from '@molecule/core'
import { Hono } from 'hono'
import { serializeCard } from './card.js'
import { errorBody, RpcError, RpcErrorCode, type RpcId, resultBody, validId } from './jsonrpc.js'
import { TaskMethods } from './methods/core.js'
import { validTraceparent } from './methods/params.js'
import { buildMethodTable, servedVersions, versionProblem } from './methods/registry.js'
import { type PushNotificationOptions, PushNotifier } from './push-notifier.js'
import { TaskEngine } from './task-engine.js'
import type { TaskActivity } from './task-run.js'
import { InMemoryTaskStore, type TaskStore } from './task-store.js'
import {
  defaultTranscript,
  parseTranscriptQuery,
  type TranscriptSource,
  transcriptAuthorized,
} from './transcript-route.js'

export interface A2AServerOptions {
  /** The agent card (v0.3 shape; `url` is where clients POST). Replace it later with `setCard`. */
  card: AgentCard
  executor: Executor | ExecuteFn
  /** Default: a bounded `InMemoryTaskStore` (10k tasks, 1 h TTL for finished ones). */
  taskStore?: TaskStore
  /**
   * Where the server logs (failed handlers, store writes, push deliveries) and the parent of each
   * executor's `ctx.logger`. Default: `silentLogger` (nothing is logged).
   */
  logger?: Logger
  /** The workspace token `/transcript` callers must present; undefined/empty means 401 (fail closed). */
  transcriptToken?: () => string | undefined
  /** Serves `/transcript`; default: the "unsupported" page. */
  transcript?: TranscriptSource
  /** Largest accepted request body. Default 1 MiB. */
  bodyLimitBytes?: number
  /** Active only when `card.capabilities.pushNotifications` is true. */
  pushNotifications?: PushNotificationOptions
  /** Messages kept per task. Default 50. */
  maxHistory?: number
  /** Interval of SSE keep-alive comments. Default 15 s; 0 disables. */
  sseKeepAliveMs?: number
  /** Answer for `agent/getAuthenticatedExtendedCard` / `GetExtendedAgentCard`; default: -32007. */
  extendedCard?: AgentCard
  onTaskStart?: (activity: TaskActivity) => void
  onTaskEnd?: (activity: TaskActivity) => void
}

export interface A2AServer {
  /** The hono app (mount it elsewhere or call `app.fetch` directly). */
  readonly app: Hono
  listen(options?: { port?: number; host?: string }): Promise<{ port: number; url: string }>
  /** Stops listening and drops open connections (streams included). */
  close(): Promise<void>
  setCard(card: AgentCard): void
  activeTaskCount(): number
  on(event: 'taskStart' | 'taskEnd', listener: (activity: TaskActivity) => void): () => void
  /** Refuses new tasks, waits up to `graceMs` for running ones, then cancels the rest (returned). */
  drain(options?: { graceMs?: number }): Promise<{ canceled: string[] }>
}

const JSON_HEADERS = { 'content-type': 'application/json' }
const TOO_LARGE = Symbol('too large')

const JSON_OK: ResponseInit = { status: 200, headers: JSON_HEADERS }

function json(body: string, status = 200): Response {
  return new Response(body, status === 200 ? JSON_OK : { status, headers: JSON_HEADERS })
}

type NodeHeaders = Record<string, string | string[] | undefined>

/**
 * Reads a request header from node's already-parsed IncomingMessage when running under
 * @hono/node-server (touching `Request.headers` there builds a whole Headers object per request),
 * else from the Request.
 */
function header(req: Request, incoming: NodeHeaders | undefined, name: string): string | undefined {
  if (incoming === undefined) return req.headers.get(name) ?? undefined
  const v = incoming[name]
  return Array.isArray(v) ? v.join(', ') : v
}

function nodeHeaders(env: unknown): NodeHeaders | undefined {
  return (env as { incoming?: { headers?: NodeHeaders } } | undefined)?.incoming?.headers
}

async function readBody(
  req: Request,
  incoming: NodeHeaders | undefined,
  limit: number,
): Promise<string | typeof TOO_LARGE> {
  const declared = header(req, incoming, 'content-length')
  if (declared !== undefined) {
    if (Number(declared) > limit) return TOO_LARGE
    return req.text()
  }
  // No length (chunked): count while reading so a huge body is refused without buffering it.
  if (req.body === null) return ''
  const reader = req.body.getReader()
  const chunks: Uint8Array[] = []
  let size = 0
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    size += value.byteLength
    if (size > limit) {
      await reader.cancel().catch(() => {})
      return TOO_LARGE
    }
    chunks.push(value)
  }
  return Buffer.concat(chunks).toString('utf8')
}

/** The `?A2A-Version=` query parameter (v1.0 clients may send it instead of the header). */
function versionQuery(url: string): string | undefined {
  if (!url.includes('?')) return undefined
  return new URL(url).searchParams.get('A2A-Version') ?? undefined
}

export function createA2AServer(options: A2AServerOptions): A2AServer {
  const logger = options.logger ?? silentLogger
  const ownStore = options.taskStore === undefined ? new InMemoryTaskStore() : undefined
  const store: TaskStore = options.taskStore ?? (ownStore as InMemoryTaskStore)
  const bodyLimit = options.bodyLimitBytes ?? 1024 * 1024
  const listeners = {
    taskStart: new Set<(a: TaskActivity) => void>(),
    taskEnd: new Set<(a: TaskActivity) => void>(),
  }
  if (options.onTaskStart) listeners.taskStart.add(options.onTaskStart)
  if (options.onTaskEnd) listeners.taskEnd.add(options.onTaskEnd)

  let card = options.card
  const versions = servedVersions()
  let cardJson = serializeCard(card, versions)
  const push =
    card.capabilities.pushNotifications === true
      ? new PushNotifier(options.pushNotifications ?? {}, logger)
      : undefined

  const engine = new TaskEngine({
    executor: defineExecutor(options.executor),
    store,
    logger,
    push,
    maxHistory: Math.max(1, options.maxHistory ?? 50),
    onTaskStart: (a) => {
      for (const l of listeners.taskStart) l(a)
    },
    onTaskEnd: (a) => {
      for (const l of listeners.taskEnd) l(a)
    },
    wantsActivity: () => listeners.taskStart.size > 0 || listeners.taskEnd.size > 0,
  })
  const methods = buildMethodTable(
    new TaskMethods({
      engine,
      store,
      push,
      extendedCard: () => options.extendedCard,
      outputModes: () => card.defaultOutputModes ?? [],
      streaming: () => card.capabilities.streaming === true,
      sseKeepAliveMs: options.sseKeepAliveMs ?? 15_000,
    }),
  )
  const transcript = options.transcript ?? defaultTranscript(card.name)

  async function handleRpc(req: Request, env: unknown): Promise<Response> {
    const incoming = nodeHeaders(env)
    const declared = header(req, incoming, 'content-length')
    // The usual request declares a length within the limit: read it without readBody's extra promise.
    const raw =
      declared !== undefined && Number(declared) <= bodyLimit
        ? await req.text()
        : await readBody(req, incoming, bodyLimit)
    if (raw === TOO_LARGE)
      // The unread rest of the body makes the connection unusable: tell the client not to reuse it.
      return new Response(
        errorBody(null, new RpcError(RpcErrorCode.InvalidRequest, `Request body exceeds ${bodyLimit} bytes`)),
        { status: 413, headers: { 'content-type': 'application/json', connection: 'close' } },
      )
    let body: unknown
    try {
      body = JSON.parse(raw)
    } catch {
      return json(
        errorBody(null, new RpcError(RpcErrorCode.ParseError, 'Parse error: body is not valid JSON')),
      )
    }
    if (body === null || typeof body !== 'object' || Array.isArray(body))
      return json(
        errorBody(
          null,
          new RpcError(
            RpcErrorCode.InvalidRequest,
            Array.isArray(body) ? 'Batch requests are not supported' : 'Request must be a JSON object',
          ),
        ),
      )
    const envelope = body as { jsonrpc?: unknown; id?: unknown; method?: unknown; params?: unknown }
    const id: RpcId = validId(envelope.id) ? envelope.id : null
    // The platform forwards heartbeat self-messages without `jsonrpc`/`id`; accept a missing
    // version, refuse a wrong one.
    if (envelope.jsonrpc !== undefined && envelope.jsonrpc !== '2.0')
      return json(errorBody(id, new RpcError(RpcErrorCode.InvalidRequest, 'jsonrpc must be "2.0"')))
    if (envelope.id !== undefined && !validId(envelope.id))
      return json(
        errorBody(null, new RpcError(RpcErrorCode.InvalidRequest, 'id must be a string, number or null')),
      )
    if (typeof envelope.method !== 'string')
      return json(errorBody(id, new RpcError(RpcErrorCode.InvalidRequest, 'method must be a string')))
    const handler = methods.get(envelope.method)
    if (handler === undefined)
      return json(
        errorBody(
          id,
          new RpcError(RpcErrorCode.MethodNotFound, `Method not found: ${envelope.method.slice(0, 100)}`),
        ),
      )
    const version = header(req, incoming, 'a2a-version') || versionQuery(req.url)
    const problem = versionProblem(version)
    if (problem) return json(errorBody(id, new RpcError(RpcErrorCode.VersionNotSupported, problem)))
    try {
      const answer = await handler({
        id,
        params: envelope.params,
        traceparent: validTraceparent(header(req, incoming, 'traceparent')),
        version,
      })
      return typeof answer === 'string' ? json(resultBody(id, answer)) : answer
    } catch (err) {
      if (err instanceof RpcError) return json(errorBody(id, err), err.httpStatus)
      logger.error({ err, method: envelope.method, requestId: id }, 'JSON-RPC handler failed')
      // Still a JSON-RPC error with HTTP 200 (as the Python a2a-sdk answers): clients that raise on a
      // non-2xx status would otherwise lose the error object and its id.
      return json(errorBody(id, new RpcError(RpcErrorCode.InternalError, 'Internal error')))
    }
  }

  const app = new Hono()
  const serveCard = () => new Response(cardJson, { headers: JSON_HEADERS })
  app.get('/.well-known/agent-card.json', serveCard)
  app.get('/.well-known/agent.json', serveCard)
  app.post('/', (c) => handleRpc(c.req.raw, c.env))
  app.post('/a2a', (c) => handleRpc(c.req.raw, c.env))
  app.get('/health', () =>
    json(JSON.stringify({ status: engine.accepting ? 'ok' : 'draining', activeTasks: engine.runs.size })),
  )
  app.get('/transcript', async (c) => {
    if (!transcriptAuthorized(options.transcriptToken?.(), c.req.header('authorization')))
      return json('{"error":"unauthorized"}', 401)
    const query = parseTranscriptQuery(c.req.query('since'), c.req.query('limit'))
    if (query === undefined) return json('{"error":"since and limit must be integers"}', 400)
    try {
      return json(JSON.stringify(await transcript(query.since, query.limit)))
    } catch (err) {
      logger.error({ err }, 'transcript source failed')
      return json('{"error":"transcript unavailable"}', 500)
    }
  })
  app.notFound(() => json('{"error":"not found"}', 404))
  app.onError((err) => {
    logger.error({ err }, 'request failed')
    return json(errorBody(null, new RpcError(RpcErrorCode.InternalError, 'Internal error')), 500)
  })

  let server: ServerType | undefined

  return {
    app,
    listen({ port = 0, host = '127.0.0.1' } = {}) {
      return new Promise((resolve, reject) => {
        const s = serve({ fetch: app.fetch, port, hostname: host }, (info: AddressInfo) => {
          const shownHost = info.family === 'IPv6' ? `[${info.address}]` : info.address
          resolve({ port: info.port, url: `http://${shownHost}:${info.port}` })
        })
        s.once('error', reject)
        server = s
      })
    },
    async close() {
      ownStore?.close()
      const s = server
      server = undefined
      if (s === undefined) return
      await new Promise<void>((resolve) => {
        s.close(() => resolve())
        const http = s as { closeAllConnections?: () => void }
        http.closeAllConnections?.()
      })
    },
    setCard(next) {
      cardJson = serializeCard(next, versions)
      card = next
    },
    activeTaskCount: () => engine.runs.size,
    on(event, listener) {
      listeners[event].add(listener)
      return () => listeners[event].delete(listener)
    },
    async drain({ graceMs = 10_000 } = {}) {
      return { canceled: await engine.drain(graceMs) }
    },
  }
}
