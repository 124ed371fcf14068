import type { AddressInfo } from 'node:net'
import { type ServerType, serve } from '@hono/node-server'
import { defineExecutor } from '@molecule/adapter-core'
import { MoleculeError, silentLogger } from '@molecule/core'
import { type Context, Hono } from 'hono'
import { serializeCard } from './card.js'
import { header, type NodeHeaders, nodeHeaders, readBody, TOO_LARGE, versionQuery } from './http-request.js'
import { errorBody, RpcError, RpcErrorCode, type RpcId, resultBody, validId } from './jsonrpc.js'
import { TaskMethods } from './methods/core.js'
import { validTraceparent } from './methods/params.js'
import { buildMethodTable, servedVersions, versionProblem } from './methods/registry.js'
import { PushNotifier } from './push-notifier.js'
import { CONTENT_TYPE_REFUSAL, isJsonContentType, type Refusal, RequestGuard } from './request-guard.js'
import type { A2AServer, A2AServerOptions } from './server-options.js'
import { TaskEngine } from './task-engine.js'
import { callerOf } from './task-owner.js'
import type { TaskActivity } from './task-run.js'
import { TaskSlots } from './task-slots.js'
import { InMemoryTaskStore, type TaskStore } from './task-store.js'
import { defaultTranscript, parseTranscriptQuery, transcriptAuthorized } from './transcript-route.js'

const JSON_HEADERS = { 'content-type': 'application/json' }
const JSON_OK: ResponseInit = { status: 200, headers: JSON_HEADERS }

function json(body: string, status = 200): Response {
  return new Response(body, status === 200 ? JSON_OK : { status, headers: JSON_HEADERS })
}

/** A JSON-RPC error answer with an HTTP status other than 200. */
function rpcFailure(status: number, err: RpcError, headers: Record<string, string> = {}): Response {
  return new Response(errorBody(null, err), { status, headers: { ...JSON_HEADERS, ...headers } })
}

const UNAUTHORIZED_HEADERS = { 'www-authenticate': 'Bearer' }

/** A refused request: a JSON-RPC error body on the JSON-RPC routes, `{"error": …}` elsewhere. */
function refused(refusal: Refusal, rpcRoute: boolean): Response {
  const headers = refusal.status === 401 ? UNAUTHORIZED_HEADERS : {}
  if (rpcRoute)
    return rpcFailure(refusal.status, new RpcError(RpcErrorCode.InvalidRequest, refusal.message), headers)
  const body =
    refusal.status === 401 ? '{"error":"unauthorized"}' : JSON.stringify({ error: refusal.message })
  return new Response(body, { status: refusal.status, headers: { ...JSON_HEADERS, ...headers } })
}

/** A method's RpcError as the answer: its HTTP status, and `Retry-After` when it says when to come back. */
function errorResponse(id: RpcId, err: RpcError): Response {
  if (err.retryAfterSeconds === undefined) return json(errorBody(id, err), err.httpStatus)
  return new Response(errorBody(id, err), {
    status: err.httpStatus,
    headers: { ...JSON_HEADERS, 'retry-after': String(err.retryAfterSeconds) },
  })
}

const BEARER_REFUSAL: Refusal = {
  status: 401,
  message: 'Unauthorized: send Authorization: Bearer <token> with a token this agent accepts',
}

/** The `sendResult` option, checked: JavaScript callers and config files can pass anything. */
function sendResultOption(value: unknown): 'message' | 'task' {
  if (value === undefined || value === 'message' || value === 'task') return value ?? 'message'
  throw new MoleculeError(
    'A2A_SEND_RESULT_INVALID',
    `sendResult: got ${JSON.stringify(value)}, expected "message" or "task".`,
    { path: 'sendResult', fix: 'Pass sendResult: "message" (the default) or "task", or leave it out.' },
  )
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
  const guard = new RequestGuard(
    {
      allowedOrigins: options.allowedOrigins ?? [],
      allowedHosts: options.allowedHosts ?? [],
      bearer: options.auth?.bearer,
    },
    card.url,
  )
  const push =
    card.capabilities.pushNotifications === true
      ? new PushNotifier(options.pushNotifications ?? {}, logger)
      : undefined

  const engine = new TaskEngine({
    executor: defineExecutor(options.executor),
    store,
    logger,
    push,
    slots: new TaskSlots(
      Math.max(1, options.maxConcurrentTasks ?? 64),
      Math.max(0, options.maxQueuedTasks ?? 256),
    ),
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
      listTasks: options.listTasks === true,
      sendResult: sendResultOption(options.sendResult),
      maxPartBytes: Math.max(1, options.maxPartBytes ?? 256 * 1024),
    }),
  )
  const transcript = options.transcript ?? defaultTranscript(card.name)

  /** The Host and Origin checks, then (unless `open`) the bearer: a refusal, or undefined to go on. */
  function check(req: Request, incoming: NodeHeaders | undefined, open: boolean): Refusal | undefined {
    const refusal = guard.browserRefusal(header(req, incoming, 'host'), header(req, incoming, 'origin'))
    if (refusal !== undefined) return refusal
    if (!open && guard.requiresBearer && !guard.authorized(header(req, incoming, 'authorization')))
      return BEARER_REFUSAL
    return undefined
  }

  /** A non-RPC route: its checks, then `answer`. */
  function route(open: boolean, answer: (c: Context) => Response | Promise<Response>) {
    return (c: Context) => {
      const refusal = check(c.req.raw, nodeHeaders(c.env), open)
      return refusal === undefined ? answer(c) : refused(refusal, false)
    }
  }

  async function handleRpc(req: Request, env: unknown): Promise<Response> {
    const incoming = nodeHeaders(env)
    const refusal = check(req, incoming, false)
    if (refusal !== undefined) return refused(refusal, true)
    if (!isJsonContentType(header(req, incoming, 'content-type'))) return refused(CONTENT_TYPE_REFUSAL, true)
    const declared = header(req, incoming, 'content-length')
    // The usual request declares a length within the limit: read it without readBody's extra promise.
    const raw =
      declared !== undefined && Number(declared) <= bodyLimit
        ? await req.text()
        : await readBody(req, incoming, bodyLimit)
    if (raw === TOO_LARGE)
      // The unread rest of the body makes the connection unusable: tell the client not to reuse it.
      return rpcFailure(
        413,
        new RpcError(RpcErrorCode.InvalidRequest, `Request body exceeds ${bodyLimit} bytes`),
        {
          connection: 'close',
        },
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
        caller: callerOf(header(req, incoming, 'x-workspace-id')),
      })
      return typeof answer === 'string' ? json(resultBody(id, answer)) : answer
    } catch (err) {
      if (err instanceof RpcError) return errorResponse(id, err)
      logger.error({ err, method: envelope.method, requestId: id }, 'JSON-RPC handler failed')
      // Still a JSON-RPC error with HTTP 200 (as the Python a2a-sdk answers): clients that raise on a
      // non-2xx status would otherwise lose the error object and its id.
      return json(errorBody(id, new RpcError(RpcErrorCode.InternalError, 'Internal error')))
    }
  }

  const app = new Hono()
  const serveCard = route(true, () => new Response(cardJson, { headers: JSON_HEADERS }))
  app.get('/.well-known/agent-card.json', serveCard)
  app.get('/.well-known/agent.json', serveCard)
  app.post('/', (c) => handleRpc(c.req.raw, c.env))
  app.post('/a2a', (c) => handleRpc(c.req.raw, c.env))
  app.get(
    '/health',
    route(true, () =>
      json(JSON.stringify({ status: engine.accepting ? 'ok' : 'draining', activeTasks: engine.runs.size })),
    ),
  )
  app.get(
    '/transcript',
    route(false, async (c) => {
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
    }),
  )
  app.notFound(route(false, () => json('{"error":"not found"}', 404)))
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
      guard.setCardUrl(next.url)
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
