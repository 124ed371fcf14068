import type { Executor, Message, RequestContext, TaskEvent, TaskEvents } from '@molecule/adapter-core'
import { PromptInjectionError, type TaskScope } from '@molecule/tools'
import type { Governance } from './governance.js'

function isAsyncIterable(value: unknown): value is AsyncIterable<string | TaskEvent> {
  return typeof value === 'object' && value !== null && Symbol.asyncIterator in value
}

function isMessage(value: unknown): value is Message {
  return typeof value === 'object' && value !== null && Array.isArray((value as Message).parts)
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
    let ended = false
    const end = (output: unknown) => {
      if (ended) return
      ended = true
      ledger?.onTaskEnd(ctx.taskId, output ?? null)
    }
    const redact = (text: string) => compliance.redactOutput(text, ctx.contextId)
    const governedEvents: TaskEvents = {
      ...events,
      status: (text) => events.status(text),
      artifact: (chunk) => events.artifact(chunk),
      fail: (reason) => {
        end(reason)
        events.fail(reason)
      },
      inputRequired: (text) => events.inputRequired(text),
      complete: (text) => {
        const final = text === undefined ? undefined : redact(text)
        end(final)
        events.complete(final)
      },
    }
    const scope: TaskScope = {
      taskId: ctx.taskId,
      contextId: ctx.contextId,
      callerId: ctx.callerId,
      gate: compliance.agencyFor(ctx.taskId),
    }
    const finish = (output: unknown): string | Message | undefined => {
      if (typeof output === 'string') {
        const final = redact(output)
        end(final)
        return final
      }
      if (isMessage(output)) {
        const parts = output.parts.map((part) =>
          part.kind === 'text' && typeof part.text === 'string' ? { ...part, text: redact(part.text) } : part,
        )
        end(parts.map((p) => (p.kind === 'text' ? p.text : '')).join(''))
        return { ...output, parts }
      }
      return output as undefined
    }
    let output: ReturnType<Executor['execute']>
    try {
      output = toolUptake.run(scope, () => inner.execute(ctx, governedEvents))
    } catch (err) {
      end(null)
      throw err
    }
    if (isAsyncIterable(output))
      return governStream(output, <T>(step: () => T): T => toolUptake.run(scope, step), redact, end)
    if (output && typeof (output as Promise<unknown>).then === 'function') {
      return (output as Promise<unknown>).then(finish, (err: unknown) => {
        end(null)
        throw err
      })
    }
    return finish(output)
  }
  // Methods are called on `inner` itself: an executor may be a class instance whose methods use `this`.
  return inner.cancel ? { execute, cancel: (ctx) => inner.cancel?.(ctx) } : { execute }
}

async function* governStream(
  source: AsyncIterable<string | TaskEvent>,
  inScope: <T>(step: () => T) => T,
  redact: (text: string) => string,
  end: (output: unknown) => void,
): AsyncGenerator<string | TaskEvent, void, undefined> {
  const iterator = source[Symbol.asyncIterator]()
  let streamed = ''
  try {
    for (;;) {
      const step = await inScope(() => iterator.next())
      if (step.done) break
      const item = step.value
      if (typeof item === 'string') streamed += item
      if (typeof item === 'object' && item.type === 'complete' && item.text !== undefined) {
        const text = redact(item.text)
        end(text)
        yield { ...item, text }
        continue
      }
      if (typeof item === 'object' && item.type === 'artifact' && item.text) streamed += item.text
      yield item
    }
  } finally {
    end(streamed || null)
    await iterator.return?.()
  }
}
