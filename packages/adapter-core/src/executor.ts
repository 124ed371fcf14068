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

/** User-facing text for an executor that threw: never the raw exception (it may carry secrets). */
export function sanitizedAgentError(err: unknown): string {
  const tag = err instanceof Error ? err.constructor.name || 'Error' : 'unknown'
  return `Agent error (${tag}) — see workspace logs for details.`
}

function isAsyncIterable(v: unknown): v is AsyncIterable<string | TaskEvent> {
  return v !== null && typeof v === 'object' && Symbol.asyncIterator in v
}

function isMessage(v: unknown): v is Message {
  return v !== null && typeof v === 'object' && Array.isArray((v as Message).parts)
}

/**
 * Runs an executor of any supported shape to its outcome, feeding normalised events to `sink`.
 * Enforces the lifecycle: the first finishing event wins and later events are dropped with a warning.
 * A thrown error becomes a `failed` outcome with a sanitised message (the detail goes to the log).
 */
export async function runExecutor(
  executor: Executor,
  ctx: RequestContext,
  sink: TaskEventSink,
  mainArtifactId: string,
  // Lets a caller that creates `ctx.signal` lazily check for cancel without materialising it.
  isCanceled: () => boolean = () => ctx.signal.aborted,
): Promise<TaskOutcome> {
  let outcome: TaskOutcome | undefined
  let streamed = ''
  const opened = new Set<string>()

  const finished = (what: string): boolean => {
    if (outcome === undefined && !isCanceled()) return false
    ctx.logger.warn({ event: what }, 'task event after the task finished; ignored')
    return true
  }

  const events: TaskEvents = {
    status(text) {
      if (!finished('status')) sink.status(String(text))
    },
    artifact(chunk) {
      if (finished('artifact')) return
      const c: ArtifactChunk = typeof chunk === 'string' ? { text: chunk } : chunk
      const artifactId = c.artifactId ?? mainArtifactId
      const parts: Part[] = c.parts ?? [{ kind: 'text', text: c.text ?? '' }]
      if (artifactId === mainArtifactId) for (const p of parts) if (p.kind === 'text') streamed += p.text
      const append = opened.has(artifactId)
      opened.add(artifactId)
      const out: Parameters<TaskEventSink['artifact']>[0] = {
        artifactId,
        parts,
        append,
        lastChunk: c.lastChunk ?? false,
      }
      if (c.name !== undefined) out.name = c.name
      sink.artifact(out)
    },
    complete(text) {
      if (finished('complete')) return
      outcome = text === undefined ? { state: 'completed' } : { state: 'completed', text: String(text) }
    },
    fail(reason) {
      if (!finished('fail')) outcome = { state: 'failed', text: String(reason) }
    },
    inputRequired(text) {
      if (!finished('inputRequired')) outcome = { state: 'input-required', text: String(text) }
    },
  }

  try {
    const result = executor.execute(ctx, events)
    if (isAsyncIterable(result)) {
      for await (const item of result) {
        if (isCanceled()) break
        if (typeof item === 'string') events.artifact(item)
        else if (item.type === 'status') events.status(item.text)
        else if (item.type === 'artifact') events.artifact(item)
        else if (item.type === 'complete') events.complete(item.text)
        else if (item.type === 'fail') events.fail(item.reason)
        else if (item.type === 'input-required') events.inputRequired(item.text)
        if (outcome !== undefined) break
      }
    } else {
      const value = await result
      if (outcome === undefined && !isCanceled()) {
        if (typeof value === 'string') outcome = { state: 'completed', text: value }
        else if (isMessage(value)) outcome = { state: 'completed', message: value }
      }
    }
  } catch (err) {
    if (isCanceled()) return { state: 'canceled' }
    ctx.logger.error({ err }, 'executor failed')
    if (outcome === undefined) outcome = { state: 'failed', text: sanitizedAgentError(err) }
  }
  if (isCanceled()) return { state: 'canceled' }
  if (outcome === undefined) outcome = { state: 'completed' }
  if (outcome.state === 'completed' && outcome.message === undefined && outcome.text === undefined) {
    const text = streamed.trim()
    if (text.length > 0) return { state: 'completed', text }
  }
  return outcome
}

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
