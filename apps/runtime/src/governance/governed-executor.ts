import type { Executor, Message, RequestContext, TaskEvent, TaskEvents } from '@molecule/adapter-core'
import { PromptInjectionError, type TaskScope, type ToolCallGate } from '@molecule/tools'
import type { Governance } from './governance.js'

function isAsyncIterable(value: unknown): value is AsyncIterable<string | TaskEvent> {
  return typeof value === 'object' && value !== null && Symbol.asyncIterator in value
}

function isMessage(value: unknown): value is Message {
  return typeof value === 'object' && value !== null && Array.isArray((value as Message).parts)
}

/**
 * One governed task: its scope (what the bound tools see), the events the adapter gets, and the ledger's end. One
 * object per task with prototype methods, instead of a dozen closures: this wraps every task the runtime runs.
 */
class GovernedTask implements TaskScope {
  readonly taskId: string
  readonly contextId: string
  readonly callerId: string | undefined
  readonly gate: ToolCallGate | undefined
  /** What the adapter gets: progress and artifacts pass straight through; the two final events are governed. */
  readonly events: TaskEvents
  // Private for real: this object is the task scope tools can read (`currentTask()`), and may log.
  readonly #governance: Governance
  #ended = false

  constructor(governance: Governance, ctx: RequestContext, inner: TaskEvents) {
    this.#governance = governance
    this.taskId = ctx.taskId
    this.contextId = ctx.contextId
    this.callerId = ctx.callerId
    this.gate = governance.compliance.agencyFor(ctx.taskId)
    // Plain functions, safe to destructure (the TaskEvents contract); the pass-through ones are the run's own.
    this.events = {
      status: inner.status,
      artifact: inner.artifact,
      inputRequired: inner.inputRequired,
      fail: (reason) => {
        this.end(reason)
        inner.fail(reason)
      },
      complete: (text) => {
        const final = text === undefined ? undefined : this.redact(text)
        this.end(final)
        inner.complete(final)
      },
    }
  }

  /** The ledger's `task_end`, once, whichever way the task ends. */
  end(output: unknown): void {
    if (this.#ended) return
    this.#ended = true
    this.#governance.ledger?.onTaskEnd(this.taskId, output ?? null)
  }

  redact(text: string): string {
    return this.#governance.compliance.redactOutput(text, this.contextId)
  }

  /** The executor's return value with its text redacted (and the ledger told). */
  finish(output: unknown): string | Message | undefined {
    if (typeof output === 'string') {
      const final = this.redact(output)
      this.end(final)
      return final
    }
    if (isMessage(output)) {
      const parts = output.parts.map((part) =>
        part.kind === 'text' && typeof part.text === 'string'
          ? { ...part, text: this.redact(part.text) }
          : part,
      )
      this.end(parts.map((p) => (p.kind === 'text' ? p.text : '')).join(''))
      return { ...output, parts }
    }
    return output as undefined
  }
}

/**
 * Puts the workspace's governance around the adapter's executor:
 * - compliance OA-01 screens the inbound text first; in `block` mode a hit is answered `Request blocked: …` and the
 *   adapter never runs;
 * - the run happens inside the task's scope (once the adapter can call a tool: see ToolUptake), so the bound tools
 *   count their calls against the task's agency limits and record their ledger events under it;
 * - the final reply (a returned string or message, `complete(text)`, a generator's `complete` event) has personal
 *   data and credentials redacted (chunks already streamed are not: they left before the end was known);
 * - the ledger gets `task_start` and `task_end` (hashes only).
 */
export function governExecutor(inner: Executor, governance: Governance): Executor {
  const { compliance, ledger, toolUptake } = governance
  const execute = (ctx: RequestContext, events: TaskEvents) => {
    try {
      compliance.screenInput(ctx.text, ctx.contextId)
    } catch (err) {
      if (err instanceof PromptInjectionError) return `Request blocked: ${err.message}`
      throw err
    }
    ledger?.onTaskStart(ctx.taskId, ctx.text)
    const task = new GovernedTask(governance, ctx, events)
    let output: ReturnType<Executor['execute']>
    try {
      output = toolUptake.run(task, () => inner.execute(ctx, task.events))
    } catch (err) {
      task.end(null)
      throw err
    }
    if (isAsyncIterable(output)) return governStream(output, task, toolUptake)
    if (output && typeof (output as Promise<unknown>).then === 'function') {
      return (output as Promise<unknown>).then(
        (value) => task.finish(value),
        (err: unknown) => {
          task.end(null)
          throw err
        },
      )
    }
    return task.finish(output)
  }
  // Methods are called on `inner` itself: an executor may be a class instance whose methods use `this`.
  return inner.cancel ? { execute, cancel: (ctx) => inner.cancel?.(ctx) } : { execute }
}

async function* governStream(
  source: AsyncIterable<string | TaskEvent>,
  task: GovernedTask,
  toolUptake: Governance['toolUptake'],
): AsyncGenerator<string | TaskEvent, void, undefined> {
  const iterator = source[Symbol.asyncIterator]()
  const next = () => iterator.next()
  let streamed = ''
  try {
    for (;;) {
      const step = await toolUptake.run(task, next)
      if (step.done) break
      const item = step.value
      if (typeof item === 'string') streamed += item
      if (typeof item === 'object' && item.type === 'complete' && item.text !== undefined) {
        const text = task.redact(item.text)
        task.end(text)
        yield { ...item, text }
        continue
      }
      if (typeof item === 'object' && item.type === 'artifact' && item.text) streamed += item.text
      yield item
    }
  } finally {
    task.end(streamed || null)
    await iterator.return?.()
  }
}
