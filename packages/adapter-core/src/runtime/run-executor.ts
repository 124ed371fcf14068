import type { Message, Part } from '../a2a/v03.js'
import type { ArtifactChunk, Executor, RequestContext, TaskEvent, TaskEvents } from '../executor.js'
import { sanitizedAgentError } from '../executor.js'
import { textMessage } from '../messages.js'

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
  // Always real events: a function's declared arity says nothing about whether it reaches them (`(...args) =>`,
  // a defaulted parameter, a wrapper), and five closures per run cost nothing next to the run.
  try {
    const result = executor.execute(ctx, run.events())
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
