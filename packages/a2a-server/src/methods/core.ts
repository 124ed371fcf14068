import {
  type AgentCard,
  isTerminalState,
  type Message,
  type StreamEvent,
  type Task,
  type TaskPushNotificationConfig,
  type TaskState,
} from '@molecule/adapter-core/a2a'
import { RpcError, RpcErrorCode, type RpcId, rpc } from '../jsonrpc.js'
import { pageAfter } from '../paging.js'
import { oversizedPartProblem } from '../part-limits.js'
import { type PushNotifier, publicPushConfig } from '../push-notifier.js'
import { openTaskStream } from '../sse.js'
import type { StartParams, TaskEngine } from '../task-engine.js'
import { ownedBy } from '../task-owner.js'
import type { TaskStore } from '../task-store.js'
import { withHistory, withReplyArtifact } from '../task-view.js'

// The A2A task methods in version-neutral terms: they take parsed values and answer v0.3-shaped ones
// (the shape tasks are stored in). The protocol revisions (v03.ts, v10.ts) parse their own parameter
// names and shape the answers; the few rules that differ between revisions come in as RevisionRules.
// Every method that names a task takes the caller (see task-owner.ts): a task another caller created
// is answered exactly as an unknown one (-32001).

export interface TaskMethodsOptions {
  engine: TaskEngine
  store: TaskStore
  push: PushNotifier | undefined
  extendedCard: () => AgentCard | undefined
  /** MIME types the agent can answer with (card `defaultOutputModes`). */
  outputModes: () => readonly string[]
  /** Card `capabilities.streaming`: when false the streaming methods answer -32004, as the A2A SDKs do. */
  streaming: () => boolean
  sseKeepAliveMs: number
  /** `ListTasks` answers only when true (then with the caller's own tasks). */
  listTasks: boolean
  /** What a completed send answers with: the agent's reply `message`, or the `task`. */
  sendResult: 'message' | 'task'
  /** Largest part of an inbound message, in bytes (parts are kept in the task's history). */
  maxPartBytes: number
}

/** What differs between protocol revisions in the send and stream methods, beyond parameter names. */
export interface RevisionRules {
  /**
   * True: a message to, or a subscription of, a task in a terminal state is refused with -32004 (v1.0).
   * False: the engine refuses the message with -32600 and a subscription streams the task's snapshot (v0.3).
   */
  readonly refuseFinishedTasks: boolean
  /** The JSON `result` of a send: the agent's reply, or the task (see `TaskMethods.send`). */
  sendResult(result: Message | Task): string
  /** The JSON `result` of one stream event. */
  streamEvent(event: StreamEvent): string
  /** Where a send's push config URL sits in this revision's params, for refusals. */
  readonly sendPushUrlField: string
}

/** A parsed send: what the engine starts the task with, and how the caller wants the answer. */
export interface SendRequest extends StartParams {
  /** Most recent messages in the answered task (0 = none; undefined = all). */
  historyLength: number | undefined
  /** Answer with the task as soon as it started instead of when it finishes. */
  returnImmediately: boolean
}

/** A parsed `ListTasks`. */
export interface ListQuery {
  /** 1…100 */
  pageSize: number
  historyLength: number | undefined
  contextId: string | undefined
  status: TaskState | undefined
  /** Epoch ms: only tasks whose status timestamp is at or after it. */
  statusTimestampAfter: number | undefined
  /** The id of the last task of the previous page (from its page token). */
  cursor: string | undefined
  includeArtifacts: boolean
}

export interface TaskList {
  tasks: Task[]
  /** '' on the last page. */
  nextPageToken: string
  pageSize: number
  /** Matching tasks before paging. */
  totalSize: number
}

/** Most tasks one `ListTasks` call looks through (the default store holds at most 10,000). */
const LIST_SCAN_LIMIT = 1_000_000

/**
 * The task methods over one engine. Each method checks the capability it needs; a binding whose
 * revision reports a missing capability before a bad parameter calls the `require…` guard first.
 */
export class TaskMethods {
  readonly #o: TaskMethodsOptions
  readonly #engine: TaskEngine
  /** MIME types the agent produces, for checking `acceptedOutputModes` while parsing a send. */
  readonly outputModes: () => readonly string[]

  constructor(options: TaskMethodsOptions) {
    this.#o = options
    this.#engine = options.engine
    this.outputModes = options.outputModes
  }

  /** -32004 when the card says the agent does not stream. */
  requireStreaming(): void {
    if (!this.#o.streaming())
      throw new RpcError(
        RpcErrorCode.UnsupportedOperation,
        'Streaming is not supported by this agent (capabilities.streaming is false)',
      )
  }

  /** -32003 when the card says the agent sends no push notifications. */
  requirePush(): PushNotifier {
    if (this.#o.push === undefined)
      throw new RpcError(
        RpcErrorCode.PushNotificationNotSupported,
        'Push notifications are not supported by this agent (capabilities.pushNotifications is false)',
      )
    return this.#o.push
  }

  /** -32004 when listing is turned off, or the task store cannot list. */
  requireListing(): NonNullable<TaskStore['list']> {
    if (!this.#o.listTasks)
      throw new RpcError(
        RpcErrorCode.UnsupportedOperation,
        'ListTasks is turned off on this agent; set a2a.list_tasks: true (createA2AServer option listTasks) to let callers list their own tasks',
      )
    const list = this.#o.store.list
    if (list === undefined)
      throw new RpcError(RpcErrorCode.UnsupportedOperation, 'This task store cannot list tasks')
    return list
  }

  /** -32004 when `taskId` names a task of the caller in a terminal state that is not running again. */
  async refuseFinished(caller: string, taskId: string | undefined): Promise<void> {
    if (taskId === undefined || this.#engine.runs.has(taskId)) return
    const task = await this.#engine.get(taskId, caller)
    if (task !== undefined && isTerminalState(task.status.state))
      throw new RpcError(
        RpcErrorCode.UnsupportedOperation,
        `Task ${taskId} is ${task.status.state}, a terminal state, and cannot be continued or subscribed to`,
      )
  }

  /** The caller's task, running or stored; -32001 when there is none (or another caller owns it). */
  async existingTask(caller: string, taskId: string): Promise<Task> {
    const task = await this.#engine.get(taskId, caller)
    if (task === undefined) throw rpc.taskNotFound(taskId)
    return task
  }

  /**
   * Starts (or continues) a task and answers, through `rules.sendResult`, with the agent's reply when
   * it completed and the server answers sends with messages (the default), else with the task. This is
   * the hot path: one async call, no closures.
   */
  async send(req: SendRequest, rules: RevisionRules): Promise<string> {
    this.#checkParts(req)
    if (rules.refuseFinishedTasks) await this.refuseFinished(req.caller, req.message.taskId)
    if (req.pushConfig) await this.#checkPushUrl(req.pushConfig.url, rules.sendPushUrlField)
    const started = this.#engine.start(req)
    const run = started instanceof Promise ? await started : started
    if (!req.returnImmediately) await run.done
    // A completed task answers with the agent's reply (what Molecule clients read as result.parts);
    // anything else — still running, failed, input-required — answers with the task, and so does every
    // send when the server is set to answer with tasks (generic A2A clients).
    const reply =
      this.#o.sendResult === 'message' && run.task.status.state === 'completed' ? run.reply : undefined
    return rules.sendResult(reply ?? withHistory(run.task, req.historyLength))
  }

  /** Starts (or continues) a task and answers with an SSE stream of its events. */
  async stream(rpcId: RpcId, req: SendRequest, rules: RevisionRules): Promise<Response> {
    this.requireStreaming()
    this.#checkParts(req)
    if (rules.refuseFinishedTasks) await this.refuseFinished(req.caller, req.message.taskId)
    if (req.pushConfig) await this.#checkPushUrl(req.pushConfig.url, rules.sendPushUrlField)
    const stream = openTaskStream(rpcId, this.#o.sseKeepAliveMs, rules.streamEvent)
    try {
      const run = await this.#engine.start({ ...req, listener: stream.listener })
      stream.attach(run)
    } catch (err) {
      stream.abandon()
      throw err
    }
    return stream.response
  }

  /** An SSE stream of a task: its snapshot, then its events while it runs. */
  async resubscribe(rpcId: RpcId, caller: string, taskId: string, rules: RevisionRules): Promise<Response> {
    this.requireStreaming()
    const task = await this.existingTask(caller, taskId)
    if (rules.refuseFinishedTasks) await this.refuseFinished(caller, taskId)
    const stream = openTaskStream(rpcId, this.#o.sseKeepAliveMs, rules.streamEvent)
    const run = this.#engine.runs.get(taskId)
    stream.listener(withReplyArtifact(task))
    if (run === undefined) stream.end()
    else {
      run.subscribe(stream.listener)
      stream.attach(run)
    }
    return stream.response
  }

  /** The task with at most `historyLength` recent messages; -32001 when unknown. */
  async get(caller: string, taskId: string, historyLength: number | undefined): Promise<Task> {
    return withHistory(await this.existingTask(caller, taskId), historyLength)
  }

  /** Cancels a running or interrupted task; -32001 unknown, -32002 already finished. */
  cancel(caller: string, taskId: string): Promise<Task> {
    return this.#engine.cancel(taskId, caller)
  }

  /**
   * The caller's tasks, newest first, filtered, in pages. Running tasks come first (they are the
   * newest), then the store's; the cursor names the last task of the previous page, and one whose task
   * has since left the store (TTL, eviction) is refused.
   */
  async list(caller: string, query: ListQuery): Promise<TaskList> {
    const list = this.requireListing()
    const { contextId, status, statusTimestampAfter: after } = query
    const found = await list.call(this.#o.store, {
      limit: LIST_SCAN_LIMIT,
      ...(contextId ? { contextId } : {}),
    })
    // Running tasks live in the engine, not the store. A continued task is in both (its earlier rest
    // state is stored); the running copy wins.
    const { runs } = this.#engine
    const stored: Task[] = []
    for (const t of found) {
      const own = runs.has(t.id) ? undefined : ownedBy(t, caller)
      if (own !== undefined) stored.push(own)
    }
    const running: Task[] = []
    for (const run of runs.values())
      if (run.owner === caller && (contextId === undefined || run.task.contextId === contextId))
        running.push(run.task)
    running.reverse()
    const all = running.length === 0 ? stored : [...running, ...stored]
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
      query.pageSize,
      query.cursor,
      'params.pageToken no longer matches a listed task (it finished its TTL or was evicted); list again from the first page',
    )
    const tasks = page.map((t) => {
      const shaped = withHistory(t, query.historyLength)
      return query.includeArtifacts ? shaped : { ...shaped, artifacts: [] }
    })
    return { tasks, nextPageToken, pageSize: query.pageSize, totalSize: matching.length }
  }

  /**
   * Stores a push config for an existing task after checking its URL (at `urlField` of the params);
   * answers the stored config without its secrets (see publicPushConfig).
   */
  async pushSet(
    caller: string,
    config: TaskPushNotificationConfig,
    urlField: string,
  ): Promise<TaskPushNotificationConfig> {
    const push = this.requirePush()
    const task = await this.existingTask(caller, config.taskId)
    await this.#checkPushUrl(config.pushNotificationConfig.url, urlField)
    // A task that is not running sends no final notification that would forget this config.
    const resting = !this.#engine.runs.has(task.id)
    const stored = push.set(config.taskId, config.pushNotificationConfig, resting)
    if (typeof stored === 'string') throw rpc.invalidParams(stored)
    return { taskId: config.taskId, pushNotificationConfig: publicPushConfig(stored) }
  }

  /**
   * One push config of a task (`configId`, or the first when undefined) without its secrets; -32602
   * when there is none.
   */
  async pushGet(
    caller: string,
    taskId: string,
    configId: string | undefined,
  ): Promise<TaskPushNotificationConfig> {
    const push = this.requirePush()
    await this.existingTask(caller, taskId)
    const config = push.get(taskId, configId)
    if (config === undefined)
      throw rpc.invalidParams(
        `No push notification config${configId ? ` "${configId}"` : ''} for task ${taskId}`,
      )
    return { taskId, pushNotificationConfig: publicPushConfig(config) }
  }

  /** Every push config of a task, in the order they were set, without their secrets. */
  async pushList(caller: string, taskId: string): Promise<TaskPushNotificationConfig[]> {
    const push = this.requirePush()
    await this.existingTask(caller, taskId)
    return push.list(taskId).map((c) => ({ taskId, pushNotificationConfig: publicPushConfig(c) }))
  }

  /** Deletes one push config of a task; -32602 when there is no such config. */
  async pushDelete(caller: string, taskId: string, configId: string): Promise<void> {
    const push = this.requirePush()
    await this.existingTask(caller, taskId)
    if (!push.delete(taskId, configId))
      throw rpc.invalidParams(`No push notification config "${configId}" for task ${taskId}`)
  }

  /** The authenticated extended card; -32007 when none is configured. */
  extendedCard(): AgentCard {
    const card = this.#o.extendedCard()
    if (card === undefined)
      throw new RpcError(
        RpcErrorCode.ExtendedCardNotConfigured,
        'This agent has no authenticated extended card',
      )
    return card
  }

  async #checkPushUrl(url: string, field: string): Promise<void> {
    const problem = await this.requirePush().check(url)
    if (problem) throw rpc.invalidParams(`${field} ${problem}`)
  }

  /** -32602 when a part of the message is over `maxPartBytes`. */
  #checkParts(req: SendRequest): void {
    const problem = oversizedPartProblem(req.message, this.#o.maxPartBytes)
    if (problem) throw rpc.invalidParams(problem)
  }
}
