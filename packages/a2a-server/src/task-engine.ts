import { type Executor, extractText, type Message, type Part, textMessage } from '@molecule/adapter-core'
import {
  INTERRUPTED_STATES,
  isTerminalState,
  type PushNotificationConfig,
  type Task,
} from '@molecule/adapter-core/a2a'
import { replyMessage, runExecutor, type TaskOutcome, uuidV4 } from '@molecule/adapter-core/runtime'
import type { Logger } from '@molecule/core'
import { RpcError, RpcErrorCode, rpc } from './jsonrpc.js'
import type { PushNotifier } from './push-notifier.js'
import {
  type ArtifactChunkEvent,
  type RunRequest,
  type RunSink,
  type StreamListener,
  type TaskActivity,
  TaskRun,
} from './task-run.js'
import type { TaskStore } from './task-store.js'
import { withReplyArtifact } from './task-view.js'

export interface StartParams extends RunRequest {
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
export class TaskEngine implements RunSink {
  readonly runs = new Map<string, TaskRun>()
  accepting = true
  readonly #o: TaskEngineOptions

  constructor(options: TaskEngineOptions) {
    this.#o = options
  }

  get(taskId: string): Task | undefined | Promise<Task | undefined> {
    return this.runs.get(taskId)?.task ?? this.#o.store.get(taskId)
  }

  /**
   * Creates (or resumes an interrupted) task and starts the executor. Throws `RpcError`. A new task
   * is answered synchronously: no promise per request.
   */
  start(params: StartParams): TaskRun | Promise<TaskRun> {
    if (!this.accepting) {
      const err = new RpcError(RpcErrorCode.InternalError, 'Server is shutting down; not accepting new tasks')
      err.httpStatus = 503
      throw err
    }
    const { message } = params
    if (message.taskId !== undefined) return this.#resume(params, message.taskId)
    const contextId = message.contextId ?? uuidV4()
    const id = uuidV4()
    message.contextId = contextId
    message.taskId = id
    return this.#launch(
      {
        kind: 'task',
        id,
        contextId,
        status: { state: 'submitted', timestamp: now() },
        history: [message],
      },
      params,
    )
  }

  async #resume(params: StartParams, taskId: string): Promise<TaskRun> {
    const { message } = params
    const existing = await this.get(taskId)
    if (existing === undefined) throw rpc.taskNotFound(taskId)
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
    message.contextId = existing.contextId
    this.#appendHistory(existing, message)
    this.#o.push?.wake(existing.id)
    return this.#launch(existing, params)
  }

  /**
   * Runs the executor for the task. A running task lives in `runs`, not in the store: the store gets
   * it when the run ends (#finish), which halves store writes per task on the hot path.
   */
  #launch(task: Task, params: StartParams): TaskRun {
    const { message } = params
    const text = extractText(message)
    const run = new TaskRun(task, brief(text), params, text, this, this.#o.logger)
    if (params.listener) run.subscribe(params.listener)
    this.runs.set(task.id, run)
    if (params.pushConfig) this.#o.push?.set(task.id, params.pushConfig)
    run.emit(task)
    void this.#execute(run)
    return run
  }

  async #execute(run: TaskRun): Promise<void> {
    const { task } = run
    const o = this.#o
    if (o.wantsActivity())
      try {
        o.onTaskStart({ taskId: task.id, contextId: task.contextId, summary: run.summary })
      } catch (err) {
        o.logger.warn({ err }, 'taskStart listener threw')
      }
    this.#setStatus(run, 'working', undefined)
    const ctx = run.context
    let outcome: TaskOutcome
    try {
      outcome = await runExecutor(o.executor, ctx, ctx, `${task.id}-output`, run)
    } catch (err) {
      // runExecutor turns executor errors into outcomes; this is a bug in our own code.
      o.logger.error({ err, taskId: task.id }, 'task run crashed')
      outcome = { state: 'failed', text: 'Internal error while running the task' }
    }
    if (!run.finished) return this.#finish(run, outcome)
  }

  /** Records the outcome; synchronous unless the store answers with a promise. */
  #finish(run: TaskRun, outcome: TaskOutcome): void | Promise<void> {
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
    let stored: void | Promise<void>
    try {
      stored = this.#o.store.set(task)
    } catch (err) {
      this.#storeFailed(err, task)
      stored = undefined
    }
    if (stored)
      return stored.then(
        () => this.#announce(run),
        (err) => {
          this.#storeFailed(err, task)
          this.#announce(run)
        },
      )
    this.#announce(run)
  }

  #storeFailed(err: unknown, task: Task): void {
    this.#o.logger.error({ err, taskId: task.id }, 'task store write failed')
  }

  /** After the final state is stored: the final stream event, push, `taskEnd`, and waiters released. */
  #announce(run: TaskRun): void {
    const { task } = run
    if (run.watched) {
      run.emit({
        kind: 'status-update',
        taskId: task.id,
        contextId: task.contextId,
        status: task.status,
        final: true,
      })
      run.unsubscribeAll()
    }
    const push = this.#o.push
    if (push?.has(task.id)) {
      const delivered = push.notify(withReplyArtifact(task))
      if (isTerminalState(task.status.state)) void delivered.then(() => push.forget(task.id))
      else push.rest(task.id)
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
    run.settle()
  }

  /** RunSink: a progress note from the executor. */
  noteStatus(run: TaskRun, note: string): void {
    if (!run.finished) this.#setStatus(run, 'working', note)
  }

  /** RunSink: a streamed artifact chunk from the executor. */
  recordArtifact(run: TaskRun, chunk: ArtifactChunkEvent): void {
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
        // The hook gets the very context `execute` got: message, text, history, metadata, logger.
        const cancel = this.#o.executor.cancel
        if (cancel) await cancel.call(this.#o.executor, run.context)
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
