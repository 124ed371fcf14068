import { randomUUID } from 'node:crypto'
import {
  type Executor,
  extractText,
  INTERRUPTED_STATES,
  isTerminalState,
  type Message,
  type Metadata,
  type Part,
  type PushNotificationConfig,
  type RequestContext,
  replyMessage,
  runExecutor,
  type StreamEvent,
  type Task,
  type TaskEventSink,
  type TaskOutcome,
  type TaskState,
  textMessage,
} from '@molecule/adapter-core'
import type { Logger } from 'pino'
import { RpcError, RpcErrorCode, rpc } from './jsonrpc.js'
import type { PushNotifier } from './push-notifier.js'
import type { TaskStore } from './task-store.js'

/** What `taskStart` / `taskEnd` listeners receive (the runtime's heartbeat counts these). */
export interface TaskActivity {
  taskId: string
  contextId: string
  /** The incoming request text, first 60 characters (heartbeat `current_task`). */
  summary: string
  /** Final state; set on `taskEnd` only. */
  state?: TaskState
}

export type StreamListener = (event: StreamEvent) => void

/** One execution of the executor for a task (a task may run again after input-required). */
export class TaskRun {
  readonly listeners = new Set<StreamListener>()
  canceled = false
  // AbortController is costly to build (~5 µs); most runs are never canceled, and most executors
  // never look at the signal, so it exists only once someone asks for it.
  #controller: AbortController | undefined
  finished = false
  reply: Message | undefined
  done!: Promise<void>

  constructor(
    readonly task: Task,
    readonly summary: string,
  ) {}

  get signal(): AbortSignal {
    this.#controller ??= new AbortController()
    if (this.canceled) this.#controller.abort()
    return this.#controller.signal
  }

  cancel(): void {
    this.canceled = true
    this.#controller?.abort()
  }

  get watched(): boolean {
    return this.listeners.size > 0
  }

  emit(event: StreamEvent): void {
    for (const listener of this.listeners)
      try {
        listener(event)
      } catch {
        // A broken subscriber must not break the task; it just stops receiving.
        this.listeners.delete(listener)
      }
  }
}

export interface StartParams {
  message: Message
  metadata: Metadata | undefined
  traceparent: string | undefined
  /** Subscribed before anything runs, so a stream sees every event from the first snapshot on. */
  listener?: StreamListener
  /** Push config sent with the message (already checked against the URL guard). */
  pushConfig?: PushNotificationConfig
}

export interface TaskEngineOptions {
  executor: Executor
  store: TaskStore
  logger: Logger
  push: PushNotifier | undefined
  maxHistory: number
  onTaskStart: (activity: TaskActivity) => void
  onTaskEnd: (activity: TaskActivity) => void
  /** False when nobody listens, so no activity objects are built per task. */
  wantsActivity: () => boolean
}

let lastMs = 0
let lastIso = ''
/** ISO timestamp, formatted at most once per millisecond (toISOString showed up in profiles). */
function now(): string {
  const ms = Date.now()
  if (ms !== lastMs) {
    lastMs = ms
    lastIso = new Date(ms).toISOString()
  }
  return lastIso
}

function brief(text: string): string {
  return text.length > 60 ? `${text.slice(0, 60)}...` : text
}

/**
 * The task state machine: creates or resumes tasks, runs the executor, records every event on the
 * stored task and fans events out to stream listeners. No transition ever leaves a terminal state.
 */
export class TaskEngine {
  readonly runs = new Map<string, TaskRun>()
  accepting = true
  readonly #o: TaskEngineOptions

  constructor(options: TaskEngineOptions) {
    this.#o = options
  }

  get(taskId: string): Task | undefined | Promise<Task | undefined> {
    return this.runs.get(taskId)?.task ?? this.#o.store.get(taskId)
  }

  /** Creates (or resumes an interrupted) task and starts the executor. Throws `RpcError`. */
  async start(params: StartParams): Promise<TaskRun> {
    if (!this.accepting)
      throw new RpcError(RpcErrorCode.InternalError, 'Server is shutting down; not accepting new tasks')
    const { message } = params
    let task: Task
    if (message.taskId !== undefined) {
      const existing = await this.get(message.taskId)
      if (existing === undefined) throw rpc.taskNotFound(message.taskId)
      if (this.runs.has(existing.id))
        throw new RpcError(
          RpcErrorCode.InvalidRequest,
          `Task ${existing.id} is still ${existing.status.state}; wait for it to finish or cancel it`,
        )
      if (!INTERRUPTED_STATES.has(existing.status.state))
        throw new RpcError(
          RpcErrorCode.InvalidRequest,
          `Task ${existing.id} is ${existing.status.state} and cannot be continued; send the message without taskId to start a new task`,
        )
      if (message.contextId !== undefined && message.contextId !== existing.contextId)
        throw rpc.invalidParams(`params.message.contextId does not match the context of task ${existing.id}`)
      task = existing
      message.contextId = task.contextId
      this.#appendHistory(task, message)
    } else {
      const contextId = message.contextId ?? randomUUID()
      const id = randomUUID()
      message.contextId = contextId
      message.taskId = id
      task = {
        kind: 'task',
        id,
        contextId,
        status: { state: 'submitted', timestamp: now() },
        history: [message],
      }
    }
    const text = extractText(message)
    const run = new TaskRun(task, brief(text))
    if (params.listener) run.listeners.add(params.listener)
    this.runs.set(task.id, run)
    if (params.pushConfig) this.#o.push?.set(task.id, params.pushConfig)
    // Skip the await (a microtask hop per request) when the store answers synchronously.
    const stored = this.#o.store.set(task)
    if (stored) await stored
    run.emit(task)
    run.done = this.#execute(run, message, text, params)
    return run
  }

  async #execute(run: TaskRun, message: Message, text: string, params: StartParams): Promise<void> {
    const { task } = run
    const o = this.#o
    if (o.wantsActivity())
      try {
        o.onTaskStart({ taskId: task.id, contextId: task.contextId, summary: run.summary })
      } catch (err) {
        o.logger.warn({ err }, 'taskStart listener threw')
      }
    this.#setStatus(run, 'working', undefined)
    const ctx = new RunContext(run, message, text, params, o.logger)
    const sink = new RunSink(this, run)
    let outcome: TaskOutcome
    try {
      outcome = await runExecutor(o.executor, ctx, sink, `${task.id}-output`, run)
    } catch (err) {
      // runExecutor turns executor errors into outcomes; this is a bug in our own code.
      o.logger.error({ err, taskId: task.id }, 'task run crashed')
      outcome = { state: 'failed', text: 'Internal error while running the task' }
    }
    if (!run.finished) await this.#finish(run, outcome)
  }

  async #finish(run: TaskRun, outcome: TaskOutcome): Promise<void> {
    const { task } = run
    run.finished = true
    let statusMessage: Message | undefined
    if (outcome.state === 'completed') {
      statusMessage = replyMessage(outcome, task.id, task.contextId)
      run.reply = statusMessage
    } else if (outcome.state !== 'canceled') {
      statusMessage = textMessage('agent', outcome.text, { taskId: task.id, contextId: task.contextId })
    }
    if (statusMessage) this.#appendHistory(task, statusMessage)
    task.status =
      statusMessage === undefined
        ? { state: outcome.state, timestamp: now() }
        : { state: outcome.state, message: statusMessage, timestamp: now() }
    this.runs.delete(task.id)
    try {
      const stored = this.#o.store.set(task)
      if (stored) await stored
    } catch (err) {
      this.#o.logger.error({ err, taskId: task.id }, 'task store write failed')
    }
    if (run.watched) {
      run.emit({
        kind: 'status-update',
        taskId: task.id,
        contextId: task.contextId,
        status: task.status,
        final: true,
      })
      run.listeners.clear()
    }
    const push = this.#o.push
    if (push?.has(task.id)) {
      const delivered = push.notify(task)
      if (isTerminalState(task.status.state)) void delivered.then(() => push.forget(task.id))
    }
    if (this.#o.wantsActivity())
      try {
        this.#o.onTaskEnd({
          taskId: task.id,
          contextId: task.contextId,
          summary: run.summary,
          state: task.status.state,
        })
      } catch (err) {
        this.#o.logger.warn({ err }, 'taskEnd listener threw')
      }
  }

  /** @internal RunSink → engine: a progress note from the executor. */
  noteStatus(run: TaskRun, note: string): void {
    if (!run.finished) this.#setStatus(run, 'working', note)
  }

  /** @internal RunSink → engine: a streamed artifact chunk. */
  recordArtifact(run: TaskRun, chunk: Parameters<TaskEventSink['artifact']>[0]): void {
    if (run.finished) return
    const { task } = run
    this.#addArtifact(task, chunk.artifactId, chunk.parts, chunk.append, chunk.name)
    if (!run.watched) return
    const artifact: { artifactId: string; parts: Part[]; name?: string } = {
      artifactId: chunk.artifactId,
      parts: chunk.parts,
    }
    if (chunk.name !== undefined) artifact.name = chunk.name
    run.emit({
      kind: 'artifact-update',
      taskId: task.id,
      contextId: task.contextId,
      artifact,
      append: chunk.append,
      lastChunk: chunk.lastChunk,
    })
  }

  #setStatus(run: TaskRun, state: 'working', note: string | undefined): void {
    const { task } = run
    const changed = task.status.state !== state
    task.status =
      note === undefined
        ? { state, timestamp: now() }
        : {
            state,
            message: textMessage('agent', note, { taskId: task.id, contextId: task.contextId }),
            timestamp: now(),
          }
    if (run.watched)
      run.emit({
        kind: 'status-update',
        taskId: task.id,
        contextId: task.contextId,
        status: task.status,
        final: false,
      })
    if (changed && this.#o.push?.has(task.id)) void this.#o.push.notify(task)
  }

  #addArtifact(task: Task, artifactId: string, parts: Part[], append: boolean, name?: string): void {
    task.artifacts ??= []
    const existing = append ? task.artifacts.find((a) => a.artifactId === artifactId) : undefined
    if (existing === undefined) {
      const artifact: { artifactId: string; parts: Part[]; name?: string } = {
        artifactId,
        parts: [...parts],
      }
      if (name !== undefined) artifact.name = name
      task.artifacts.push(artifact)
      return
    }
    for (const part of parts) {
      const last = existing.parts[existing.parts.length - 1]
      // Streamed text chunks are merged so a long answer stays one part, not thousands.
      if (last?.kind === 'text' && part.kind === 'text' && part.metadata === undefined)
        existing.parts[existing.parts.length - 1] = { ...last, text: last.text + part.text }
      else existing.parts.push(part)
    }
  }

  #appendHistory(task: Task, message: Message): void {
    const history = task.history ?? []
    history.push(message)
    const max = this.#o.maxHistory
    if (history.length > max) history.splice(0, history.length - max)
    task.history = history
  }

  /** Cancels a running or interrupted task. Throws -32001 / -32002 per spec. */
  async cancel(taskId: string): Promise<Task> {
    const run = this.runs.get(taskId)
    if (run !== undefined) {
      run.cancel()
      try {
        const cancel = this.#o.executor.cancel
        if (cancel) {
          const ctxLite = {
            taskId,
            contextId: run.task.contextId,
            signal: run.signal,
          } as RequestContext
          await cancel.call(this.#o.executor, ctxLite)
        }
      } catch (err) {
        this.#o.logger.warn({ err, taskId }, 'executor cancel hook threw')
      }
      if (!run.finished) await this.#finish(run, { state: 'canceled' })
      return run.task
    }
    const task = await this.#o.store.get(taskId)
    if (task === undefined) throw rpc.taskNotFound(taskId)
    if (isTerminalState(task.status.state))
      throw new RpcError(
        RpcErrorCode.TaskNotCancelable,
        `Task ${taskId} is already ${task.status.state} and cannot be canceled`,
      )
    task.status = { state: 'canceled', timestamp: now() }
    await this.#o.store.set(task)
    return task
  }

  /** Stops accepting tasks, waits up to `graceMs` for running ones, cancels the rest. */
  async drain(graceMs: number): Promise<string[]> {
    this.accepting = false
    const pending = [...this.runs.values()].map((r) => r.done)
    if (pending.length > 0) {
      let timer: NodeJS.Timeout | undefined
      await Promise.race([
        Promise.allSettled(pending),
        new Promise((r) => {
          timer = setTimeout(r, graceMs)
        }),
      ])
      clearTimeout(timer)
    }
    const canceled: string[] = []
    for (const id of [...this.runs.keys()]) {
      await this.cancel(id)
      canceled.push(id)
    }
    return canceled
  }
}

/** The executor's view of a run. Lazy parts (history copy, child logger) cost nothing unless used. */
class RunContext implements RequestContext {
  readonly #run: TaskRun
  readonly #baseLogger: Logger
  #history: Message[] | undefined
  #logger: Logger | undefined
  readonly metadata: Metadata | undefined
  readonly traceparent: string | undefined

  constructor(
    run: TaskRun,
    readonly message: Message,
    readonly text: string,
    params: StartParams,
    logger: Logger,
  ) {
    this.#run = run
    this.#baseLogger = logger
    this.metadata = params.metadata
    this.traceparent = params.traceparent
  }

  get taskId(): string {
    return this.#run.task.id
  }

  get contextId(): string {
    return this.#run.task.contextId
  }

  /** Everything before the current message. */
  get history(): readonly Message[] {
    this.#history ??= (this.#run.task.history ?? []).slice(0, -1)
    return this.#history
  }

  get signal(): AbortSignal {
    return this.#run.signal
  }

  get logger(): Logger {
    this.#logger ??= this.#baseLogger.child({ taskId: this.taskId, contextId: this.contextId })
    return this.#logger
  }
}

/** Routes normalised executor events to the engine (prototype methods: no closures per run). */
class RunSink implements TaskEventSink {
  constructor(
    readonly engine: TaskEngine,
    readonly run: TaskRun,
  ) {}

  status(text: string): void {
    this.engine.noteStatus(this.run, text)
  }

  artifact(chunk: Parameters<TaskEventSink['artifact']>[0]): void {
    this.engine.recordArtifact(this.run, chunk)
  }
}
