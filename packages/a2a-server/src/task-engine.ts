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
import { LiveRuns } from './live-runs.js'
import type { PushNotifier } from './push-notifier.js'
import { addArtifact, appendHistory } from './task-edit.js'
import { type OwnerAwareStore, ownedBy, SET_OWNED, withOwner } from './task-owner.js'
import {
  type ArtifactChunkEvent,
  type RunRequest,
  type RunSink,
  type StreamListener,
  type TaskActivity,
  TaskRun,
} from './task-run.js'
import type { TaskSlots } from './task-slots.js'
import type { TaskStore } from './task-store.js'
import { withReplyArtifact } from './task-view.js'

export interface StartParams extends RunRequest {
  /** Subscribed before anything runs, so a stream sees every event from the first snapshot on. */
  listener?: StreamListener
  /** Push config sent with the message (already checked against the URL guard). */
  pushConfig?: PushNotificationConfig
  /** Who sends it ('' = no identity, see task-owner.ts): a new task belongs to it, a continued one must. */
  caller: string
}

export interface TaskEngineOptions {
  executor: Executor
  store: TaskStore
  logger: Logger
  push: PushNotifier | undefined
  /** Bounds the runs at once and the tasks waiting for one. */
  slots: TaskSlots
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

function shuttingDown(): RpcError {
  const err = new RpcError(RpcErrorCode.InternalError, 'Server is shutting down; not accepting new tasks')
  err.httpStatus = 503
  return err
}

function brief(text: string): string {
  return text.length > 60 ? `${text.slice(0, 60)}...` : text
}

/**
 * The task state machine: creates or resumes tasks, runs the executor, records every event on the
 * stored task and fans events out to stream listeners. No transition ever leaves a terminal state.
 */
export class TaskEngine implements RunSink {
  readonly runs = new LiveRuns<TaskRun>()
  accepting = true
  readonly #o: TaskEngineOptions
  /** Writes a task with its owner (see task-owner.ts). */
  readonly #storeOwned: (task: Task, owner: string) => void | Promise<void>

  constructor(options: TaskEngineOptions) {
    this.#o = options
    const { store } = options
    const ownerAware = (store as Partial<OwnerAwareStore>)[SET_OWNED]
    this.#storeOwned =
      ownerAware !== undefined
        ? (task, owner) => ownerAware.call(store, task, owner)
        : (task, owner) => store.set(withOwner(task, owner))
  }

  /** The task, running or stored, when `caller` owns it; else undefined, as for an unknown id. */
  get(taskId: string, caller: string): Task | undefined | Promise<Task | undefined> {
    const run = this.runs.get(taskId)
    if (run !== undefined) return run.owner === caller ? run.task : undefined
    const stored = this.#o.store.get(taskId)
    return stored instanceof Promise ? stored.then((t) => ownedBy(t, caller)) : ownedBy(stored, caller)
  }

  /**
   * Creates (or resumes an interrupted) task and starts the executor once a run slot is free (at
   * once, or after waiting in the queue). Throws `RpcError`. A new task with a free slot is answered
   * synchronously: no promise per request.
   */
  start(params: StartParams): TaskRun | Promise<TaskRun> {
    this.#refuseWhenDraining()
    const slot = this.#o.slots.take()
    if (slot === true) return this.#startHoldingSlot(params)
    return slot.then(() => this.#startHoldingSlot(params))
  }

  #refuseWhenDraining(): void {
    if (!this.accepting) throw shuttingDown()
  }

  /** Starts the task in the slot just taken; gives the slot back when the task cannot start. */
  #startHoldingSlot(params: StartParams): TaskRun | Promise<TaskRun> {
    try {
      this.#refuseWhenDraining()
      const { message } = params
      if (message.taskId === undefined) return this.#create(params)
      return this.#resume(params, message.taskId).catch((err: unknown) => {
        this.#o.slots.release()
        throw err
      })
    } catch (err) {
      this.#o.slots.release()
      throw err
    }
  }

  #create(params: StartParams): TaskRun {
    const { message } = params
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
    const existing = await this.get(taskId, params.caller)
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
    appendHistory(existing, message, this.#o.maxHistory)
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
    const run = new TaskRun(task, params.caller, brief(text), params, text, this, this.#o.logger)
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
    if (statusMessage) appendHistory(task, statusMessage, this.#o.maxHistory)
    task.status =
      statusMessage === undefined
        ? { state: outcome.state, timestamp: now() }
        : { state: outcome.state, message: statusMessage, timestamp: now() }
    this.runs.delete(task.id)
    this.#o.slots.release()
    let stored: void | Promise<void>
    try {
      stored = this.#storeOwned(task, run.owner)
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
    addArtifact(task, chunk.artifactId, chunk.parts, chunk.append, chunk.name)
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

  /** Cancels a running or interrupted task `caller` owns. Throws -32001 / -32002 per spec. */
  async cancel(taskId: string, caller: string): Promise<Task> {
    const run = this.runs.get(taskId)
    if (run !== undefined) {
      if (run.owner !== caller) throw rpc.taskNotFound(taskId)
      return this.#cancelRun(run)
    }
    const task = await this.get(taskId, caller)
    if (task === undefined) throw rpc.taskNotFound(taskId)
    if (isTerminalState(task.status.state))
      throw new RpcError(
        RpcErrorCode.TaskNotCancelable,
        `Task ${taskId} is already ${task.status.state} and cannot be canceled`,
      )
    task.status = { state: 'canceled', timestamp: now() }
    await this.#storeOwned(task, caller)
    return task
  }

  /** Aborts a run, calls the executor's cancel hook and finalises the task as canceled at once. */
  async #cancelRun(run: TaskRun): Promise<Task> {
    run.cancel()
    try {
      // The hook gets the very context `execute` got: message, text, history, metadata, logger.
      const cancel = this.#o.executor.cancel
      if (cancel) await cancel.call(this.#o.executor, run.context)
    } catch (err) {
      this.#o.logger.warn({ err, taskId: run.task.id }, 'executor cancel hook threw')
    }
    if (!run.finished) await this.#finish(run, { state: 'canceled' })
    return run.task
  }

  /** Stops accepting tasks (waiting ones are refused), waits up to `graceMs` for running ones, cancels the rest. */
  async drain(graceMs: number): Promise<string[]> {
    this.accepting = false
    this.#o.slots.rejectWaiting(shuttingDown())
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
    for (const run of [...this.runs.values()]) {
      await this.#cancelRun(run)
      canceled.push(run.task.id)
    }
    return canceled
  }
}
