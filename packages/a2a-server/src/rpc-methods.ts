import {
  type AgentCard,
  fromV1PushConfig,
  fromV1State,
  isTerminalState,
  MessageShapeError,
  normalizeMessage,
  type PushNotificationConfig,
  pushNotificationConfigSchema,
  type StreamEvent,
  type Task,
  taskPushNotificationConfigSchema,
  taskPushNotificationConfigV1Schema,
  toV1Message,
  toV1PushConfig,
  toV1StreamEvent,
  toV1Task,
} from '@molecule/adapter-core/a2a'
import type { z } from 'zod'
import { RpcError, RpcErrorCode, type RpcId, resultBody, rpc } from './jsonrpc.js'
import type { PushNotifier } from './push-notifier.js'
import { type StreamListener, type TaskEngine, type TaskRun, withReplyArtifact } from './task-engine.js'
import type { TaskStore } from './task-store.js'

/** Per-call facts the handlers need. */
export interface RpcCall {
  id: RpcId
  params: unknown
  traceparent: string | undefined
}

/** A handler answers with the JSON of `result`, or a whole Response (SSE streams). */
export type RpcAnswer = string | Response

type Handler = (call: RpcCall) => Promise<RpcAnswer>

export interface RpcMethodsOptions {
  engine: TaskEngine
  store: TaskStore
  push: PushNotifier | undefined
  extendedCard: () => AgentCard | undefined
  /** MIME types the agent can answer with (card `defaultOutputModes`). */
  outputModes: () => readonly string[]
  /** Card `capabilities.streaming`: when false the streaming methods answer -32004, as the A2A SDKs do. */
  streaming: () => boolean
  sseKeepAliveMs: number
}

type Params = Record<string, unknown>

function paramsObject(params: unknown): Params {
  if (params === null || typeof params !== 'object' || Array.isArray(params))
    throw rpc.invalidParams('params must be an object')
  return params as Params
}

function requiredString(p: Params, key: string): string {
  const value = p[key]
  if (typeof value !== 'string' || value.length === 0)
    throw rpc.invalidParams(`params.${key} must be a non-empty string`)
  return value
}

function optionalCount(p: Params | undefined, key: string, field: string): number | undefined {
  const value = p?.[key]
  if (value === undefined || value === null) return undefined
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0)
    throw rpc.invalidParams(`${field} must be a non-negative integer`)
  return value
}

function optionalObject(p: Params, key: string): Params | undefined {
  const value = p[key]
  if (value === undefined || value === null) return undefined
  if (typeof value !== 'object' || Array.isArray(value))
    throw rpc.invalidParams(`params.${key} must be an object`)
  return value as Params
}

/**
 * The task as returned to readers: the reply mirrored as artifact (see withReplyArtifact) and at most
 * `historyLength` most recent messages (0 = none).
 */
function withHistory(stored: Task, historyLength: number | undefined): Task {
  const task = withReplyArtifact(stored)
  if (historyLength === undefined || task.history === undefined) return task
  const { history, ...rest } = task
  return historyLength === 0 ? rest : { ...rest, history: history.slice(-historyLength) }
}

function zodProblem(error: z.ZodError, prefix: string): string {
  const issue = error.issues[0]
  const where = issue?.path.length ? `${prefix}.${issue.path.join('.')}` : prefix
  return `${where}: ${issue?.message ?? 'invalid'}`
}

/** Most tasks one `ListTasks` call looks through (the default store holds at most 10,000). */
const LIST_SCAN_LIMIT = 1_000_000
const TOKEN_PREFIX = 'after:'

/** An opaque `ListTasks` cursor: the id of the last task on the page. */
function pageToken(lastId: string): string {
  return Buffer.from(TOKEN_PREFIX + lastId).toString('base64url')
}

function readPageToken(raw: unknown): string | undefined {
  if (raw === undefined || raw === null || raw === '') return undefined
  const decoded = typeof raw === 'string' ? Buffer.from(raw, 'base64url').toString() : ''
  if (!decoded.startsWith(TOKEN_PREFIX) || decoded.length === TOKEN_PREFIX.length)
    throw rpc.invalidParams('params.pageToken is not a token this server issued')
  return decoded.slice(TOKEN_PREFIX.length)
}

/**
 * The page of `items` that follows the cursor (the id `readPageToken` decoded), at most `size` long,
 * with the token for the next page ('' on the last). A cursor naming no item is refused with `stale`.
 */
function pageAfter<T>(
  items: T[],
  idOf: (item: T) => string,
  size: number,
  cursor: string | undefined,
  stale: string,
): { page: T[]; nextPageToken: string } {
  let from = 0
  if (cursor !== undefined) {
    from = items.findIndex((item) => idOf(item) === cursor) + 1
    if (from === 0) throw rpc.invalidParams(stale)
  }
  const page = items.slice(from, from + size)
  const last = page.at(-1)
  const nextPageToken = last !== undefined && from + page.length < items.length ? pageToken(idOf(last)) : ''
  return { page, nextPageToken }
}

/** `statusTimestampAfter` as epoch ms, or undefined when absent. */
function optionalTimestamp(raw: unknown): number | undefined {
  if (raw === undefined || raw === null || raw === '') return undefined
  const ms = typeof raw === 'string' ? Date.parse(raw) : Number.NaN
  if (Number.isNaN(ms)) throw rpc.invalidParams('params.statusTimestampAfter must be an ISO 8601 timestamp')
  return ms
}

const encoder = new TextEncoder()
const SSE_HEADERS = {
  'content-type': 'text/event-stream',
  'cache-control': 'no-cache',
  connection: 'keep-alive',
}

/** The A2A JSON-RPC methods, v0.3 and v1.0, over one task engine. */
export class RpcMethods {
  readonly #o: RpcMethodsOptions
  readonly table: ReadonlyMap<string, Handler>

  constructor(options: RpcMethodsOptions) {
    this.#o = options
    this.table = new Map<string, Handler>([
      ['message/send', (c) => this.#send(c, false)],
      ['message/stream', (c) => this.#stream(c, false)],
      ['tasks/get', (c) => this.#getTask(c, false)],
      ['tasks/cancel', (c) => this.#cancel(c, false)],
      ['tasks/resubscribe', (c) => this.#resubscribe(c, false)],
      ['tasks/pushNotificationConfig/set', (c) => this.#pushSet(c, false)],
      ['tasks/pushNotificationConfig/get', (c) => this.#pushGet(c, false)],
      ['tasks/pushNotificationConfig/list', (c) => this.#pushList(c, false)],
      ['tasks/pushNotificationConfig/delete', (c) => this.#pushDelete(c, false)],
      ['agent/getAuthenticatedExtendedCard', () => this.#extendedCard()],
      ['SendMessage', (c) => this.#send(c, true)],
      ['SendStreamingMessage', (c) => this.#stream(c, true)],
      ['GetTask', (c) => this.#getTask(c, true)],
      ['ListTasks', (c) => this.#listTasks(c)],
      ['CancelTask', (c) => this.#cancel(c, true)],
      ['SubscribeToTask', (c) => this.#resubscribe(c, true)],
      ['CreateTaskPushNotificationConfig', (c) => this.#pushSet(c, true)],
      ['GetTaskPushNotificationConfig', (c) => this.#pushGet(c, true)],
      ['ListTaskPushNotificationConfigs', (c) => this.#pushList(c, true)],
      ['DeleteTaskPushNotificationConfig', (c) => this.#pushDelete(c, true)],
      ['GetExtendedAgentCard', () => this.#extendedCard()],
    ])
  }

  #readSend(call: RpcCall, v1: boolean) {
    const p = paramsObject(call.params)
    let message: ReturnType<typeof normalizeMessage>
    try {
      message = normalizeMessage(p.message, 'params.message')
    } catch (err) {
      if (err instanceof MessageShapeError) throw rpc.invalidParams(err.message)
      throw err
    }
    const config = optionalObject(p, 'configuration')
    const historyLength = optionalCount(config, 'historyLength', 'params.configuration.historyLength')
    const returnImmediately = v1 ? config?.returnImmediately === true : config?.blocking === false
    this.#checkOutputModes(config?.acceptedOutputModes)
    const metadata = optionalObject(p, 'metadata')
    let pushConfig: PushNotificationConfig | undefined
    const rawPush = v1 ? config?.taskPushNotificationConfig : config?.pushNotificationConfig
    if (rawPush !== undefined && rawPush !== null) {
      pushConfig = v1
        ? this.#parsePushV1({ taskId: '-', ...(rawPush as object) }).pushNotificationConfig
        : this.#parsePush(rawPush, 'params.configuration.pushNotificationConfig')
    }
    const traceparent = call.traceparent ?? validTraceparent(metadata?.traceparent)
    // Shaped as the engine's StartParams (plus send options) so it is passed on as is.
    return { message, historyLength, returnImmediately, metadata, pushConfig, traceparent }
  }

  /** -32005 when the caller accepts none of the types the agent produces (`*` wildcards match). */
  #checkOutputModes(accepted: unknown): void {
    if (accepted === undefined || accepted === null) return
    if (!Array.isArray(accepted) || accepted.some((m) => typeof m !== 'string'))
      throw rpc.invalidParams('params.configuration.acceptedOutputModes must be an array of strings')
    const offered = this.#o.outputModes()
    if (accepted.length === 0 || offered.length === 0) return
    const matches = (want: string, have: string) => {
      if (want === '*/*' || want === have) return true
      const [type, sub] = want.split('/')
      return sub === '*' && have.startsWith(`${type}/`)
    }
    if (!accepted.some((want: string) => offered.some((have) => matches(want, have))))
      throw new RpcError(
        RpcErrorCode.ContentTypeNotSupported,
        `None of acceptedOutputModes (${accepted.join(', ').slice(0, 200)}) is produced by this agent (${offered.join(', ')})`,
      )
  }

  /**
   * v1.0: a message continuing a task in a terminal state is UnsupportedOperationError (-32004); the v0.3
   * names keep the engine's -32600.
   */
  async #refuseFinishedV1(taskId: string | undefined): Promise<void> {
    if (taskId === undefined || this.#o.engine.runs.has(taskId)) return
    const task = await this.#o.engine.get(taskId)
    if (task !== undefined && isTerminalState(task.status.state))
      throw new RpcError(
        RpcErrorCode.UnsupportedOperation,
        `Task ${taskId} is ${task.status.state}, a terminal state, and cannot be continued or subscribed to`,
      )
  }

  async #send(call: RpcCall, v1: boolean): Promise<RpcAnswer> {
    const req = this.#readSend(call, v1)
    if (v1) await this.#refuseFinishedV1(req.message.taskId)
    if (req.pushConfig) await this.#checkPushUrl(req.pushConfig.url)
    const started = this.#o.engine.start(req)
    const run = started instanceof Promise ? await started : started
    if (!req.returnImmediately) await run.done
    // A completed task answers with the agent's reply (what Molecule clients read as result.parts);
    // anything else — still running, failed, input-required — answers with the task.
    const reply = run.task.status.state === 'completed' ? run.reply : undefined
    if (v1)
      return JSON.stringify(
        reply
          ? { message: toV1Message(reply) }
          : { task: toV1Task(withHistory(run.task, req.historyLength)) },
      )
    return JSON.stringify(reply ?? withHistory(run.task, req.historyLength))
  }

  #requireStreaming(): void {
    if (!this.#o.streaming())
      throw new RpcError(
        RpcErrorCode.UnsupportedOperation,
        'Streaming is not supported by this agent (capabilities.streaming is false)',
      )
  }

  async #stream(call: RpcCall, v1: boolean): Promise<RpcAnswer> {
    this.#requireStreaming()
    const req = this.#readSend(call, v1)
    if (v1) await this.#refuseFinishedV1(req.message.taskId)
    if (req.pushConfig) await this.#checkPushUrl(req.pushConfig.url)
    const stream = this.#openStream(call.id, v1)
    try {
      const run = await this.#o.engine.start({ ...req, listener: stream.listener })
      stream.attach(run)
    } catch (err) {
      stream.abandon()
      throw err
    }
    return stream.response
  }

  async #resubscribe(call: RpcCall, v1: boolean): Promise<RpcAnswer> {
    this.#requireStreaming()
    const id = requiredString(paramsObject(call.params), 'id')
    const task = await this.#o.engine.get(id)
    if (task === undefined) throw rpc.taskNotFound(id)
    // v1.0 refuses a finished task; v0.3 (as @a2a-js/sdk 0.3 servers do) streams its snapshot and ends.
    if (v1) await this.#refuseFinishedV1(id)
    const stream = this.#openStream(call.id, v1)
    const run = this.#o.engine.runs.get(id)
    stream.listener(withReplyArtifact(task))
    if (run === undefined) stream.end()
    else {
      run.subscribe(stream.listener)
      stream.attach(run)
    }
    return stream.response
  }

  /** An SSE response fed by task events; ends after the final event or when the client leaves. */
  #openStream(id: RpcId, v1: boolean) {
    let controller!: ReadableStreamDefaultController<Uint8Array>
    let closed = false
    let run: TaskRun | undefined
    let keepAlive: NodeJS.Timeout | undefined
    const cleanup = () => {
      closed = true
      if (keepAlive) clearInterval(keepAlive)
      run?.unsubscribe(listener)
    }
    const end = () => {
      if (closed) return
      cleanup()
      controller.close()
    }
    const listener: StreamListener = (event: StreamEvent) => {
      if (closed) return
      const result = JSON.stringify(v1 ? toV1StreamEvent(event) : event)
      try {
        controller.enqueue(encoder.encode(`data: ${resultBody(id, result)}\n\n`))
      } catch {
        // The stream was torn down under us (client gone); stop feeding it.
        cleanup()
        return
      }
      if (event.kind === 'status-update' && event.final) end()
    }
    const body = new ReadableStream<Uint8Array>({
      start(c) {
        controller = c
      },
      // The client went away: stop feeding it; the task itself keeps running.
      cancel: cleanup,
    })
    const keepAliveMs = this.#o.sseKeepAliveMs
    if (keepAliveMs > 0) {
      keepAlive = setInterval(() => {
        if (closed) return
        try {
          controller.enqueue(encoder.encode(': keep-alive\n\n'))
        } catch {
          cleanup()
        }
      }, keepAliveMs)
      keepAlive.unref()
    }
    return {
      listener,
      end,
      attach(r: TaskRun) {
        run = r
        if (closed) r.unsubscribe(listener)
        else if (r.finished) end()
      },
      abandon() {
        cleanup()
        void body.cancel().catch(() => {})
      },
      response: new Response(body, { status: 200, headers: SSE_HEADERS }),
    }
  }

  async #getTask(call: RpcCall, v1: boolean): Promise<RpcAnswer> {
    const p = paramsObject(call.params)
    const id = requiredString(p, 'id')
    const historyLength = optionalCount(p, 'historyLength', 'params.historyLength')
    const task = await this.#o.engine.get(id)
    if (task === undefined) throw rpc.taskNotFound(id)
    const shaped = withHistory(task, historyLength)
    return JSON.stringify(v1 ? toV1Task(shaped) : shaped)
  }

  /**
   * v1.0 `ListTasks`: newest first, filtered by `contextId`, `status` and `statusTimestampAfter`, in
   * pages of `pageSize` (1…100, default 50). `nextPageToken` (empty on the last page) is an opaque
   * cursor naming the last task of the page; a cursor whose task has since left the store is refused.
   */
  async #listTasks(call: RpcCall): Promise<RpcAnswer> {
    const p = call.params === undefined ? {} : paramsObject(call.params)
    const list = this.#o.store.list
    if (list === undefined)
      throw new RpcError(RpcErrorCode.UnsupportedOperation, 'This task store cannot list tasks')
    const pageSize = optionalCount(p, 'pageSize', 'params.pageSize') ?? 50
    if (pageSize < 1 || pageSize > 100) throw rpc.invalidParams('params.pageSize must be 1…100')
    const historyLength = optionalCount(p, 'historyLength', 'params.historyLength')
    const contextId = typeof p.contextId === 'string' && p.contextId ? p.contextId : undefined
    const status =
      typeof p.status === 'string' && p.status && p.status !== 'TASK_STATE_UNSPECIFIED'
        ? fromV1State(p.status)
        : undefined
    const after = optionalTimestamp(p.statusTimestampAfter)
    const cursor = readPageToken(p.pageToken)
    const stored = await list.call(this.#o.store, {
      limit: LIST_SCAN_LIMIT,
      ...(contextId ? { contextId } : {}),
    })
    // Running tasks live in the engine, not the store: they are the newest, so they come first. A
    // continued task is in both (its earlier rest state is stored); the running copy wins.
    const { runs } = this.#o.engine
    const running: Task[] = []
    for (const run of runs.values())
      if (contextId === undefined || run.task.contextId === contextId) running.push(run.task)
    running.reverse()
    const all = running.length === 0 ? stored : [...running, ...stored.filter((t) => !runs.has(t.id))]
    const matching =
      status === undefined && after === undefined
        ? all
        : all.filter(
            (t) =>
              (status === undefined || t.status.state === status) &&
              (after === undefined ||
                (t.status.timestamp !== undefined && Date.parse(t.status.timestamp) >= after)),
          )
    const { page, nextPageToken } = pageAfter(
      matching,
      (t) => t.id,
      pageSize,
      cursor,
      'params.pageToken no longer matches a listed task (it finished its TTL or was evicted); list again from the first page',
    )
    const shaped = page.map((t) => {
      const h = withHistory(t, historyLength)
      return toV1Task(p.includeArtifacts === true ? h : { ...h, artifacts: [] })
    })
    return JSON.stringify({ tasks: shaped, nextPageToken, pageSize, totalSize: matching.length })
  }

  async #cancel(call: RpcCall, v1: boolean): Promise<RpcAnswer> {
    const id = requiredString(paramsObject(call.params), 'id')
    const task = await this.#o.engine.cancel(id)
    return JSON.stringify(v1 ? toV1Task(task) : task)
  }

  #pushOrThrow(): PushNotifier {
    if (this.#o.push === undefined)
      throw new RpcError(
        RpcErrorCode.PushNotificationNotSupported,
        'Push notifications are not supported by this agent (capabilities.pushNotifications is false)',
      )
    return this.#o.push
  }

  #parsePush(raw: unknown, field: string): PushNotificationConfig {
    const parsed = pushNotificationConfigSchema.safeParse(raw)
    if (!parsed.success) throw rpc.invalidParams(zodProblem(parsed.error, field))
    return parsed.data as PushNotificationConfig
  }

  #parsePushV1(raw: unknown) {
    const parsed = taskPushNotificationConfigV1Schema.safeParse(raw)
    if (!parsed.success) throw rpc.invalidParams(zodProblem(parsed.error, 'params'))
    return fromV1PushConfig(parsed.data as Parameters<typeof fromV1PushConfig>[0])
  }

  async #checkPushUrl(url: string): Promise<void> {
    const problem = await this.#pushOrThrow().check(url)
    if (problem) throw rpc.invalidParams(`push notification url ${problem}`)
  }

  async #existingTask(taskId: string): Promise<Task> {
    const task = await this.#o.engine.get(taskId)
    if (task === undefined) throw rpc.taskNotFound(taskId)
    return task
  }

  async #pushSet(call: RpcCall, v1: boolean): Promise<RpcAnswer> {
    const push = this.#pushOrThrow()
    let config: { taskId: string; pushNotificationConfig: PushNotificationConfig }
    if (v1) config = this.#parsePushV1(call.params)
    else {
      const parsed = taskPushNotificationConfigSchema.safeParse(call.params)
      if (!parsed.success) throw rpc.invalidParams(zodProblem(parsed.error, 'params'))
      config = parsed.data as typeof config
    }
    const task = await this.#existingTask(config.taskId)
    await this.#checkPushUrl(config.pushNotificationConfig.url)
    // A task that is not running sends no final notification that would forget this config.
    const resting = !this.#o.engine.runs.has(task.id)
    const stored = push.set(config.taskId, config.pushNotificationConfig, resting)
    if (typeof stored === 'string') throw rpc.invalidParams(stored)
    const out = { taskId: config.taskId, pushNotificationConfig: stored }
    return JSON.stringify(v1 ? toV1PushConfig(out) : out)
  }

  async #pushGet(call: RpcCall, v1: boolean): Promise<RpcAnswer> {
    const push = this.#pushOrThrow()
    const p = paramsObject(call.params)
    const taskId = requiredString(p, v1 ? 'taskId' : 'id')
    const rawConfigId = v1 ? p.id : p.pushNotificationConfigId
    const configId = typeof rawConfigId === 'string' && rawConfigId ? rawConfigId : undefined
    await this.#existingTask(taskId)
    const config = push.get(taskId, configId)
    if (config === undefined)
      throw rpc.invalidParams(
        `No push notification config${configId ? ` "${configId}"` : ''} for task ${taskId}`,
      )
    const out = { taskId, pushNotificationConfig: config }
    return JSON.stringify(v1 ? toV1PushConfig(out) : out)
  }

  /** v0.3 answers every config; v1.0 pages them (`pageSize`, all when absent; `pageToken`). */
  async #pushList(call: RpcCall, v1: boolean): Promise<RpcAnswer> {
    const push = this.#pushOrThrow()
    const p = paramsObject(call.params)
    const taskId = requiredString(p, v1 ? 'taskId' : 'id')
    await this.#existingTask(taskId)
    const list = push.list(taskId).map((pushNotificationConfig) => ({ taskId, pushNotificationConfig }))
    if (!v1) return JSON.stringify(list)
    const pageSize = optionalCount(p, 'pageSize', 'params.pageSize') || list.length
    const { page, nextPageToken } = pageAfter(
      list,
      (c) => c.pushNotificationConfig.id ?? '',
      pageSize,
      readPageToken(p.pageToken),
      'params.pageToken names a config that no longer exists; list again from the first page',
    )
    return JSON.stringify({ configs: page.map(toV1PushConfig), nextPageToken })
  }

  async #pushDelete(call: RpcCall, v1: boolean): Promise<RpcAnswer> {
    const push = this.#pushOrThrow()
    const p = paramsObject(call.params)
    const taskId = requiredString(p, v1 ? 'taskId' : 'id')
    const configId = requiredString(p, v1 ? 'id' : 'pushNotificationConfigId')
    await this.#existingTask(taskId)
    if (!push.delete(taskId, configId))
      throw rpc.invalidParams(`No push notification config "${configId}" for task ${taskId}`)
    return v1 ? '{}' : 'null'
  }

  async #extendedCard(): Promise<RpcAnswer> {
    const card = this.#o.extendedCard()
    if (card === undefined)
      throw new RpcError(
        RpcErrorCode.ExtendedCardNotConfigured,
        'This agent has no authenticated extended card',
      )
    return JSON.stringify(card)
  }
}

const TRACEPARENT = /^[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$/

/** A W3C traceparent value, or undefined when absent or malformed. */
export function validTraceparent(value: unknown): string | undefined {
  return typeof value === 'string' && TRACEPARENT.test(value) ? value : undefined
}
