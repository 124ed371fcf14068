import { createServer, type RequestListener, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { defineExecutor } from '@molecule/adapter-core'
import { MoleculeError, silentLogger } from '@molecule/core'
import { type Context, Hono } from 'hono'
import { serializeCard } from './card.js'
import { type HttpAnswer, JSON_HEADERS, jsonAnswer, toResponse, writeAnswer } from './http-answer.js'
import { errorBody, RpcError, RpcErrorCode } from './jsonrpc.js'
import { TaskMethods } from './methods/core.js'
import { buildMethodTable, servedVersions } from './methods/registry.js'
import { createNodeListener } from './node-listener.js'
import { PushNotifier } from './push-notifier.js'
import { RequestGuard } from './request-guard.js'
import { createRpcEndpoint, refusalOf, refusedAnswer } from './rpc-endpoint.js'
import { fetchRpcRequest } from './rpc-request.js'
import type { A2AServer, A2AServerOptions } from './server-options.js'
import { TaskEngine } from './task-engine.js'
import type { TaskActivity } from './task-run.js'
import { TaskSlots } from './task-slots.js'
import { InMemoryTaskStore, type TaskStore } from './task-store.js'
import { defaultTranscript, parseTranscriptQuery, transcriptAuthorized } from './transcript-route.js'

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

  const handleRpc = createRpcEndpoint({ guard, methods, bodyLimit, logger })
  const internalError = (err: unknown): HttpAnswer => {
    logger.error({ err }, 'request failed')
    return jsonAnswer(errorBody(null, new RpcError(RpcErrorCode.InternalError, 'Internal error')), 500)
  }

  /** A non-RPC route: its checks, then `answer`. */
  function route(open: boolean, answer: (c: Context) => HttpAnswer | Promise<HttpAnswer>) {
    return async (c: Context) => {
      const refusal = refusalOf(guard, (name) => c.req.header(name), open)
      return toResponse(refusal === undefined ? await answer(c) : refusedAnswer(refusal, false))
    }
  }

  const app = new Hono()
  const serveCard = route(true, () => ({ status: 200, headers: JSON_HEADERS, body: cardJson }))
  app.get('/.well-known/agent-card.json', serveCard)
  app.get('/.well-known/agent.json', serveCard)
  const rpcRoute = async (c: Context) => toResponse(await handleRpc(fetchRpcRequest(c.req.raw, c.env)))
  app.post('/', rpcRoute)
  app.post('/a2a', rpcRoute)
  app.get(
    '/health',
    route(true, () =>
      jsonAnswer(
        JSON.stringify({
          ...options.health?.(),
          status: engine.accepting ? 'ok' : 'draining',
          activeTasks: engine.runs.size,
        }),
      ),
    ),
  )
  app.get(
    '/transcript',
    route(false, async (c) => {
      if (!transcriptAuthorized(options.transcriptToken?.(), c.req.header('authorization')))
        return jsonAnswer('{"error":"unauthorized"}', 401)
      const query = parseTranscriptQuery(c.req.query('since'), c.req.query('limit'))
      if (query === undefined) return jsonAnswer('{"error":"since and limit must be integers"}', 400)
      try {
        return jsonAnswer(JSON.stringify(await transcript(query.since, query.limit)))
      } catch (err) {
        logger.error({ err }, 'transcript source failed')
        return jsonAnswer('{"error":"transcript unavailable"}', 500)
      }
    }),
  )
  app.notFound(route(false, () => jsonAnswer('{"error":"not found"}', 404)))
  app.onError((err) => toResponse(internalError(err)))

  let server: Server | undefined
  let hono: Promise<RequestListener> | undefined
  /**
   * The hono listener for everything but the JSON-RPC endpoint, loaded on first use: @hono/node-server installs its
   * Request and Response globals when its module is evaluated, which loads node's fetch machinery — a tenth of a
   * runtime's boot, spent at the first card request instead. Node keeps the request's body buffered meanwhile.
   */
  const honoListener =
    (host: string): RequestListener =>
    (req, res) => {
      hono ??= import('@hono/node-server').then(({ getRequestListener }) =>
        getRequestListener(app.fetch, { hostname: host }),
      )
      hono.then(
        (listener) => listener(req, res),
        (err: unknown) => {
          hono = undefined // the next request tries again
          writeAnswer(res, internalError(err))
        },
      )
    }

  return {
    app,
    listen({ port = 0, host = '127.0.0.1' } = {}) {
      return new Promise((resolve, reject) => {
        const s = createServer(createNodeListener(handleRpc, honoListener(host), internalError))
        s.once('error', reject)
        s.listen(port, host, () => {
          const info = s.address() as AddressInfo
          const shownHost = info.family === 'IPv6' ? `[${info.address}]` : info.address
          resolve({ port: info.port, url: `http://${shownHost}:${info.port}` })
        })
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
        s.closeAllConnections()
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
