import type { Message, Metadata, Part } from './a2a/v03.js'
import { textMessage } from './messages.js'

/** The slice of a pino logger executors use; any pino logger satisfies it. */
export interface ExecutorLogger {
  debug(objOrMsg: unknown, msg?: string): void
  info(objOrMsg: unknown, msg?: string): void
  warn(objOrMsg: unknown, msg?: string): void
  error(objOrMsg: unknown, msg?: string): void
  child(bindings: Record<string, unknown>): ExecutorLogger
}

/** What an executor knows about the request it serves. */
export interface RequestContext {
  readonly taskId: string
  readonly contextId: string
  /** The incoming message, normalised to v0.3 shape whatever the caller sent. */
  readonly message: Message
  /** `extractText(message)`, computed once. */
  readonly text: string
  /** Earlier messages of this task (oldest first), excluding `message`. */
  readonly history: readonly Message[]
  /** `params.metadata` of the request (the platform puts `history`, `parent_task_id`, … here). */
  readonly metadata: Metadata | undefined
  /** Aborted when the task is cancelled (tasks/cancel, shutdown). */
  readonly signal: AbortSignal
  /** W3C trace context of the incoming request, when the caller sent one. */
  readonly traceparent?: string | undefined
  readonly logger: ExecutorLogger
}

/** One chunk of streamed output. A bare string is a text chunk of the task's main artifact. */
export interface ArtifactChunk {
  text?: string
  parts?: Part[]
  /** Chunks with the same id are appended to one artifact; a new id starts a new artifact. */
  artifactId?: string
  name?: string
  lastChunk?: boolean
}

/** Imperative event API handed to every executor. Calls after the task finished are ignored. */
export interface TaskEvents {
  /** A progress note: status `working` with this text as its message. */
  status(text: string): void
  /** Streams output; strings are appended to the main artifact. */
  artifact(chunk: string | ArtifactChunk): void
  /** Finishes as `completed`; `text` (or the streamed text) becomes the reply message. */
  complete(text?: string): void
  /** Finishes as `failed` with `reason` as the status message. */
  fail(reason: string): void
  /** Pauses as `input-required`; the caller's next message on this task resumes it. */
  inputRequired(text: string): void
}

/** The same events as values, for executors written as async generators. */
export type TaskEvent =
  | { type: 'status'; text: string }
  | ({ type: 'artifact' } & ArtifactChunk)
  | { type: 'complete'; text?: string }
  | { type: 'fail'; reason: string }
  | { type: 'input-required'; text: string }

/**
 * What `execute` may return: a reply string, a full reply `Message`, nothing (when it used `events`),
 * or an async iterable of strings / `TaskEvent`s for streaming.
 */
export type ExecuteOutput = string | Message | undefined | AsyncIterable<string | TaskEvent>

/** `void` lets `async (ctx, events) => { events.complete() }` type-check without a return. */
// biome-ignore lint/suspicious/noConfusingVoidType: executors that only use `events` return nothing
type ExecuteReturn = ExecuteOutput | Promise<string | Message | undefined | void> | void

export type ExecuteFn = (ctx: RequestContext, events: TaskEvents) => ExecuteReturn

export interface Executor {
  execute: ExecuteFn
  /** Optional extra cleanup on cancel; the `signal` in the context is aborted either way. */
  cancel?(ctx: RequestContext): void | Promise<void>
}

/** Accepts a bare function or an executor object; returns an `Executor`. */
export function defineExecutor(executor: ExecuteFn | Executor): Executor {
  return typeof executor === 'function' ? { execute: executor } : executor
}

/** How a run ended, as the server records it. */
export type TaskOutcome =
  | { state: 'completed'; message?: Message; text?: string }
  | { state: 'failed'; text: string }
  | { state: 'input-required'; text: string }
  | { state: 'canceled' }

/** Receives normalised events while an executor runs (the server's side of the contract). */
export interface TaskEventSink {
  status(text: string): void
  artifact(
    chunk: Required<Pick<ArtifactChunk, 'artifactId'>> & {
      parts: Part[]
      append: boolean
      lastChunk: boolean
      name?: string
    },
  ): void
}

/**
 * User-facing text for a failed run: never the raw exception or stderr (they may carry secrets).
 * The tag is `category` when given (e.g. from `classifySubprocessError`), else the error's class name.
 */
export function sanitizedAgentError(err?: unknown, category?: string): string {
  const tag = category || (err instanceof Error ? err.constructor.name || 'Error' : 'unknown')
  return `Agent error (${tag}) — see workspace logs for details.`
}

function isAsyncIterable(v: unknown): v is AsyncIterable<string | TaskEvent> {
  return v !== null && typeof v === 'object' && Symbol.asyncIterator in v
}

function isMessage(v: unknown): v is Message {
  return v !== null && typeof v === 'object' && Array.isArray((v as Message).parts)
}

/** Lifecycle bookkeeping of one run; prototype methods so a run allocates no closures it does not need. */
class RunState {
  outcome: TaskOutcome | undefined
  streamed = ''
  opened: Set<string> | undefined

  constructor(
    readonly ctx: RequestContext,
    readonly sink: TaskEventSink,
    readonly mainArtifactId: string,
    readonly cancelState: { readonly canceled: boolean },
  ) {}

  get canceled(): boolean {
    return this.cancelState.canceled
  }

  finished(what: string): boolean {
    if (this.outcome === undefined && !this.canceled) return false
    this.ctx.logger.warn({ event: what }, 'task event after the task finished; ignored')
    return true
  }

  status(text: string): void {
    if (!this.finished('status')) this.sink.status(String(text))
  }

  artifact(chunk: string | ArtifactChunk): void {
    if (this.finished('artifact')) return
    const c: ArtifactChunk = typeof chunk === 'string' ? { text: chunk } : chunk
    const artifactId = c.artifactId ?? this.mainArtifactId
    const parts: Part[] = c.parts ?? [{ kind: 'text', text: c.text ?? '' }]
    if (artifactId === this.mainArtifactId)
      for (const p of parts) if (p.kind === 'text') this.streamed += p.text
    this.opened ??= new Set()
    const append = this.opened.has(artifactId)
    this.opened.add(artifactId)
    const out: Parameters<TaskEventSink['artifact']>[0] = {
      artifactId,
      parts,
      append,
      lastChunk: c.lastChunk ?? false,
    }
    if (c.name !== undefined) out.name = c.name
    this.sink.artifact(out)
  }

  complete(text?: string): void {
    if (this.finished('complete')) return
    this.outcome = text === undefined ? { state: 'completed' } : { state: 'completed', text: String(text) }
  }

  fail(reason: string): void {
    if (!this.finished('fail')) this.outcome = { state: 'failed', text: String(reason) }
  }

  inputRequired(text: string): void {
    if (!this.finished('inputRequired')) this.outcome = { state: 'input-required', text: String(text) }
  }

  /** The `TaskEvents` handed to executors: plain functions, safe to destructure. */
  events(): TaskEvents {
    return {
      status: (text) => this.status(text),
      artifact: (chunk) => this.artifact(chunk),
      complete: (text) => this.complete(text),
      fail: (reason) => this.fail(reason),
      inputRequired: (text) => this.inputRequired(text),
    }
  }

  apply(item: string | TaskEvent): void {
    if (typeof item === 'string') this.artifact(item)
    else if (item.type === 'status') this.status(item.text)
    else if (item.type === 'artifact') this.artifact(item)
    else if (item.type === 'complete') this.complete(item.text)
    else if (item.type === 'fail') this.fail(item.reason)
    else if (item.type === 'input-required') this.inputRequired(item.text)
  }
}

/**
 * Runs an executor of any supported shape to its outcome, feeding normalised events to `sink`.
 * Enforces the lifecycle: the first finishing event wins and later events are dropped with a warning.
 * A thrown error becomes a `failed` outcome with a sanitised message (the detail goes to the log).
 * `cancelState` lets a caller that creates `ctx.signal` lazily report cancel without materialising it.
 */
export async function runExecutor(
  executor: Executor,
  ctx: RequestContext,
  sink: TaskEventSink,
  mainArtifactId: string,
  cancelState: { readonly canceled: boolean } = {
    get canceled() {
      return ctx.signal.aborted
    },
  },
): Promise<TaskOutcome> {
  const run = new RunState(ctx, sink, mainArtifactId, cancelState)
  // An execute function that declares only `ctx` cannot reach `events`; skip building them.
  const events = executor.execute.length < 2 ? INERT_EVENTS : run.events()
  try {
    const result = executor.execute(ctx, events)
    if (isAsyncIterable(result)) {
      for await (const item of result) {
        if (run.canceled) break
        run.apply(item)
        if (run.outcome !== undefined) break
      }
    } else {
      const value = await result
      if (run.outcome === undefined && !run.canceled) {
        if (typeof value === 'string') run.outcome = { state: 'completed', text: value }
        else if (isMessage(value)) run.outcome = { state: 'completed', message: value }
      }
    }
  } catch (err) {
    if (run.canceled) return { state: 'canceled' }
    ctx.logger.error({ err }, 'executor failed')
    if (run.outcome === undefined) run.outcome = { state: 'failed', text: sanitizedAgentError(err) }
  }
  if (run.canceled) return { state: 'canceled' }
  const outcome: TaskOutcome = run.outcome ?? { state: 'completed' }
  if (outcome.state === 'completed' && outcome.message === undefined && outcome.text === undefined) {
    const text = run.streamed.trim()
    if (text.length > 0) return { state: 'completed', text }
  }
  return outcome
}

const INERT_EVENTS: TaskEvents = Object.freeze({
  status() {},
  artifact() {},
  complete() {},
  fail() {},
  inputRequired() {},
})

/** Builds the agent reply for a completed outcome, or undefined when there is nothing to say. */
export function replyMessage(outcome: TaskOutcome, taskId: string, contextId: string): Message | undefined {
  if (outcome.state === 'canceled') return undefined
  if (outcome.state === 'completed' && outcome.message !== undefined) {
    const m = outcome.message
    return {
      ...m,
      kind: 'message',
      role: 'agent',
      taskId,
      contextId,
      messageId: m.messageId || textMessage('agent', '').messageId,
    }
  }
  if (outcome.text === undefined) return undefined
  return textMessage('agent', outcome.text, { taskId, contextId })
}
