import type { Message, Metadata, RequestContext } from '@molecule/adapter-core'
import type { StreamEvent, Task, TaskState } from '@molecule/adapter-core/a2a'
import type { TaskEventSink } from '@molecule/adapter-core/runtime'
import type { Logger } from '@molecule/core'

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

/** One artifact chunk as the executor's event API hands it over. */
export type ArtifactChunkEvent = Parameters<TaskEventSink['artifact']>[0]

/**
 * What a run needs from its owner: a place for the executor's events. The task engine implements it;
 * a run never sees the engine itself.
 */
export interface RunSink {
  /** A progress note from the executor (status `working` with this text). */
  noteStatus(run: TaskRun, note: string): void
  /** A streamed artifact chunk from the executor. */
  recordArtifact(run: TaskRun, chunk: ArtifactChunkEvent): void
}

/** The request facts a run hands its executor, beyond the task itself. */
export interface RunRequest {
  message: Message
  metadata: Metadata | undefined
  traceparent: string | undefined
  tracestate?: string | undefined
}

/** One execution of the executor for a task (a task may run again after input-required). */
export class TaskRun {
  // Created on first subscription: most runs (plain message/send) are never watched.
  #listeners: Set<StreamListener> | undefined
  canceled = false
  // AbortController is costly to build (it showed up at ~14% of CPU in message/send profiles); most
  // runs are never canceled and most executors never look at the signal, so it exists only on demand.
  #controller: AbortController | undefined
  finished = false
  reply: Message | undefined
  /** Resolves when the task reaches its final state for this run — also when canceled while the
   * executor keeps going (an executor that ignores its signal must not hold the caller). */
  readonly done: Promise<void>
  #settle!: () => void
  /** What the executor's `execute` gets, and its `cancel` hook gets the same object. */
  readonly context: RunContext

  constructor(
    readonly task: Task,
    /** The caller that created the task (see task-owner.ts); only it may read or continue the task. */
    readonly owner: string,
    readonly summary: string,
    request: RunRequest,
    text: string,
    sink: RunSink,
    logger: Logger,
  ) {
    this.done = new Promise((resolve) => {
      this.#settle = resolve
    })
    this.context = new RunContext(sink, this, request, text, logger)
  }

  settle(): void {
    this.#settle()
  }

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
    return this.#listeners !== undefined && this.#listeners.size > 0
  }

  subscribe(listener: StreamListener): void {
    this.#listeners ??= new Set()
    this.#listeners.add(listener)
  }

  unsubscribe(listener: StreamListener): void {
    this.#listeners?.delete(listener)
  }

  unsubscribeAll(): void {
    this.#listeners = undefined
  }

  emit(event: StreamEvent): void {
    if (this.#listeners === undefined) return
    for (const listener of this.#listeners)
      try {
        listener(event)
      } catch {
        // A broken subscriber must not break the task; it just stops receiving.
        this.#listeners.delete(listener)
      }
  }
}

/**
 * The executor's view of a run, and the sink its events flow back through (one object per run).
 * Lazy parts (history copy, child logger) cost nothing unless used.
 */
export class RunContext implements RequestContext, TaskEventSink {
  readonly #run: TaskRun
  readonly #sink: RunSink
  readonly #baseLogger: Logger
  #history: Message[] | undefined
  #logger: Logger | undefined
  readonly message: Message
  readonly metadata: Metadata | undefined
  readonly traceparent: string | undefined
  readonly tracestate: string | undefined

  constructor(
    sink: RunSink,
    run: TaskRun,
    request: RunRequest,
    readonly text: string,
    logger: Logger,
  ) {
    this.#sink = sink
    this.#run = run
    this.#baseLogger = logger
    this.message = request.message
    this.metadata = request.metadata
    this.traceparent = request.traceparent
    this.tracestate = request.tracestate
  }

  get taskId(): string {
    return this.#run.task.id
  }

  get contextId(): string {
    return this.#run.task.contextId
  }

  /** The task's creator: only it may continue the task, so it is also who sent this message. */
  get callerId(): string {
    return this.#run.owner
  }

  /** Everything before the current message. */
  get history(): readonly Message[] {
    this.#history ??= (this.#run.task.history ?? []).slice(0, -1)
    return this.#history
  }

  get signal(): AbortSignal {
    return this.#run.signal
  }

  /** The server's logger with `taskId` and `contextId` bound (the server's own logger binds neither). */
  get logger(): Logger {
    this.#logger ??= this.#baseLogger.child({ taskId: this.taskId, contextId: this.contextId })
    return this.#logger
  }

  status(text: string): void {
    this.#sink.noteStatus(this.#run, text)
  }

  artifact(chunk: ArtifactChunkEvent): void {
    this.#sink.recordArtifact(this.#run, chunk)
  }
}
