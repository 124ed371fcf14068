import { describe, expect, it } from 'vitest'
import type { Message } from '../a2a/v03.js'
import {
  defineExecutor,
  type ExecuteFn,
  type ExecutorLogger,
  type RequestContext,
  type TaskEvent,
  type TaskEvents,
} from '../executor.js'
import { textMessage } from '../messages.js'
import { replyMessage, runExecutor, type TaskEventSink } from './run-executor.js'

const warnings: unknown[] = []
const logger: ExecutorLogger = {
  debug() {},
  info() {},
  warn(obj) {
    warnings.push(obj)
  },
  error() {},
  child() {
    return logger
  },
}

function context(signal = new AbortController().signal): RequestContext {
  const message = textMessage('user', 'ping')
  return {
    taskId: 't1',
    contextId: 'c1',
    message,
    text: 'ping',
    history: [],
    metadata: undefined,
    signal,
    logger,
  }
}

function recorder() {
  const events: unknown[] = []
  const sink: TaskEventSink = {
    status: (text) => events.push({ status: text }),
    artifact: (chunk) => events.push(chunk),
  }
  return { events, sink }
}

describe('runExecutor', () => {
  it('hands real events to executors whose arity hides them: a rest-args wrapper and a defaulted parameter', async () => {
    const inner: ExecuteFn = (_ctx, events) => {
      events.artifact('streamed ')
      events.complete('done')
    }
    const wrapped: ExecuteFn = (...args) => inner(...args)
    const noop: TaskEvents = { status() {}, artifact() {}, complete() {}, fail() {}, inputRequired() {} }
    const defaulted: ExecuteFn = (_ctx, events = noop) => {
      events.fail('went wrong')
    }
    expect(wrapped.length).toBe(0)
    expect(defaulted.length).toBe(1)

    const first = recorder()
    await expect(runExecutor(defineExecutor(wrapped), context(), first.sink, 'a')).resolves.toEqual({
      state: 'completed',
      text: 'done',
    })
    expect(first.events).toEqual([
      expect.objectContaining({ artifactId: 'a', parts: [{ kind: 'text', text: 'streamed ' }] }),
    ])
    const second = recorder()
    await expect(runExecutor(defineExecutor(defaulted), context(), second.sink, 'a')).resolves.toEqual({
      state: 'failed',
      text: 'went wrong',
    })
  })

  it('one-line executor: the returned string is the reply', async () => {
    const { sink } = recorder()
    const outcome = await runExecutor(
      defineExecutor(async (ctx) => `echo: ${ctx.text}`),
      context(),
      sink,
      'a',
    )
    expect(outcome).toEqual({ state: 'completed', text: 'echo: ping' })
    const reply = replyMessage(outcome, 't1', 'c1') as Message
    expect(reply).toMatchObject({
      role: 'agent',
      taskId: 't1',
      contextId: 'c1',
      parts: [{ text: 'echo: ping' }],
    })
  })

  it('async generator: strings stream as one artifact and become the reply', async () => {
    const { events, sink } = recorder()
    const outcome = await runExecutor(
      defineExecutor(async function* () {
        yield { type: 'status', text: 'thinking' } satisfies TaskEvent
        yield 'hel'
        yield 'lo'
      }),
      context(),
      sink,
      'main',
    )
    expect(outcome).toEqual({ state: 'completed', text: 'hello' })
    expect(events).toEqual([
      { status: 'thinking' },
      { artifactId: 'main', parts: [{ kind: 'text', text: 'hel' }], append: false, lastChunk: false },
      { artifactId: 'main', parts: [{ kind: 'text', text: 'lo' }], append: true, lastChunk: false },
    ])
  })

  it('events object: first finishing call wins; later events are ignored', async () => {
    warnings.length = 0
    const { events, sink } = recorder()
    const outcome = await runExecutor(
      {
        execute(_ctx, ev) {
          ev.artifact({ text: 'x', artifactId: 'side', name: 'notes' })
          ev.inputRequired('which file?')
          ev.complete('too late')
          ev.status('too late')
        },
      },
      context(),
      sink,
      'main',
    )
    expect(outcome).toEqual({ state: 'input-required', text: 'which file?' })
    expect(events).toHaveLength(1)
    expect(warnings).toHaveLength(2)
  })

  it('fail() and thrown errors give failed, never the raw exception text', async () => {
    const { sink } = recorder()
    expect(await runExecutor({ execute: (_c, ev) => ev.fail('no model') }, context(), sink, 'm')).toEqual({
      state: 'failed',
      text: 'no model',
    })
    const thrown = await runExecutor(
      defineExecutor(async () => {
        throw new TypeError('secret sk-abc in here')
      }),
      context(),
      sink,
      'm',
    )
    expect(thrown.state).toBe('failed')
    expect(JSON.stringify(thrown)).not.toContain('secret')
    expect(JSON.stringify(thrown)).toContain('TypeError')
  })

  it('returns canceled when the signal aborts mid-run', async () => {
    const ac = new AbortController()
    const { sink } = recorder()
    const outcome = await runExecutor(
      defineExecutor(async function* (ctx) {
        yield 'a'
        ac.abort()
        await new Promise((r) => setTimeout(r, 1))
        if (ctx.signal.aborted) return
        yield 'b'
      }),
      context(ac.signal),
      sink,
      'm',
    )
    expect(outcome).toEqual({ state: 'canceled' })
  })

  it('a returned Message is used as the reply; nothing at all completes without text', async () => {
    const { sink } = recorder()
    const msg = textMessage('agent', 'custom', { metadata: { tool_trace: [] } })
    const outcome = await runExecutor(
      defineExecutor(() => msg),
      context(),
      sink,
      'm',
    )
    expect(replyMessage(outcome, 't1', 'c1')).toMatchObject({
      messageId: msg.messageId,
      metadata: { tool_trace: [] },
    })
    const empty = await runExecutor(
      defineExecutor(() => undefined),
      context(),
      sink,
      'm',
    )
    expect(empty).toEqual({ state: 'completed' })
    expect(replyMessage(empty, 't1', 'c1')).toBeUndefined()
  })
})
