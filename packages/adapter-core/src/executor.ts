import type { Logger } from '@molecule/core'
import type { Message, Metadata, Part } from './a2a/v03.js'

/** The logger an executor gets in its context: `@molecule/core`'s `Logger` (any pino logger satisfies it). */
export type ExecutorLogger = Logger

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
  /** The W3C `tracestate` that came with `traceparent`, when the caller sent one. */
  readonly tracestate?: string | undefined
  /**
   * Who sent the request: the calling workspace as the platform asserts it (`X-Workspace-ID`), or `''` for a
   * platform user and for anything that came through the platform's proxy (which forwards no identity). Servers that
   * cannot tell leave it undefined. Keep per-caller state (memories, sessions) apart by it.
   */
  readonly callerId?: string | undefined
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

/**
 * User-facing text for a failed run: never the raw exception or stderr (they may carry secrets).
 * The tag is `category` when given (e.g. from `classifySubprocessError`), else the error's class name.
 */
export function sanitizedAgentError(err?: unknown, category?: string): string {
  const tag = category || (err instanceof Error ? err.constructor.name || 'Error' : 'unknown')
  return `Agent error (${tag}) — see workspace logs for details.`
}
