import type { Executor, RequestContext, TaskEvents } from '@molecule/adapter-core'
import { type Span, trace } from '@opentelemetry/api'
import { W3CTraceContextPropagator } from '@opentelemetry/core'
import { InMemorySpanExporter, NodeTracerProvider, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-node'
import { afterAll, beforeEach, describe, expect, it } from 'vitest'
import { tracedExecutor } from './traced-executor.js'

const exporter = new InMemorySpanExporter()
const provider = new NodeTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] })
provider.register()
const tracer = provider.getTracer('test')
const propagator = new W3CTraceContextPropagator()
const agent = { workspaceId: 'ws-1', agentName: 'Agent' }
const INBOUND = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01'

afterAll(() => provider.shutdown())
beforeEach(() => exporter.reset())

/** A context shaped like the A2A server's: a getter and a method that use private fields. */
class FakeContext {
  readonly #task = { id: 'task-1', contextId: 'ctx-1' }
  readonly #notes: string[] = []
  readonly message = { kind: 'message', role: 'user', messageId: 'm', parts: [] } as never
  readonly text = 'hi'
  readonly history = []
  readonly metadata = undefined
  readonly signal = new AbortController().signal
  readonly traceparent = INBOUND
  readonly tracestate = 'vendor=1'
  readonly logger = undefined as never
  get taskId() {
    return this.#task.id
  }
  get contextId() {
    return this.#task.contextId
  }
  status(note: string) {
    this.#notes.push(note)
  }
  get notes() {
    return this.#notes
  }
}

function seen(ctx: RequestContext) {
  const active = trace.getActiveSpan() as Span | undefined
  return {
    traceparent: ctx.traceparent,
    tracestate: ctx.tracestate,
    activeSpanId: active?.spanContext().spanId,
  }
}

describe('tracedExecutor', () => {
  it('runs a function executor inside invoke_agent, parented on the inbound context, which the adapter sees', async () => {
    const ctx = new FakeContext()
    let inside: ReturnType<typeof seen> | undefined
    const executor: Executor = {
      async execute(c) {
        await new Promise((resolve) => setTimeout(resolve, 5))
        inside = seen(c)
        ;(c as unknown as FakeContext).status('working on it')
        return `${c.taskId} ${c.contextId}`
      },
    }
    const traced = tracedExecutor(executor, tracer, propagator, agent)
    const reply = await traced.execute(ctx as unknown as RequestContext, {} as TaskEvents)
    expect(reply).toBe('task-1 ctx-1')
    expect(ctx.notes).toEqual(['working on it'])
    const [span] = exporter.getFinishedSpans()
    expect(span?.name).toBe('invoke_agent Agent')
    expect(span?.spanContext().traceId).toBe(INBOUND.split('-')[1])
    expect(span?.parentSpanContext?.spanId).toBe(INBOUND.split('-')[2])
    expect(span?.attributes).toMatchObject({
      'gen_ai.operation.name': 'invoke_agent',
      'gen_ai.agent.name': 'Agent',
      'gen_ai.agent.id': 'ws-1',
      'gen_ai.conversation.id': 'ctx-1',
      'workspace.id': 'ws-1',
      'a2a.task_id': 'task-1',
    })
    // The adapter's view: the task's span is active and its traceparent names that span (to parent `chat` spans).
    expect(inside?.activeSpanId).toBe(span?.spanContext().spanId)
    expect(inside?.traceparent).toBe(`00-${span?.spanContext().traceId}-${span?.spanContext().spanId}-01`)
    expect(inside?.tracestate).toBe('vendor=1')
  })

  it('keeps the span active across the steps of a streaming executor and ends it when the stream ends', async () => {
    const activeIds: Array<string | undefined> = []
    const executor: Executor = {
      async *execute() {
        for (let i = 0; i < 3; i++) {
          await new Promise((resolve) => setTimeout(resolve, 1))
          activeIds.push(trace.getActiveSpan()?.spanContext().spanId)
          yield `chunk ${i}`
        }
      },
    }
    const traced = tracedExecutor(executor, tracer, propagator, agent)
    const out: unknown[] = []
    for await (const item of traced.execute(
      new FakeContext() as unknown as RequestContext,
      {} as TaskEvents,
    ) as AsyncIterable<unknown>)
      out.push(item)
    expect(out).toEqual(['chunk 0', 'chunk 1', 'chunk 2'])
    const [span] = exporter.getFinishedSpans()
    expect(new Set(activeIds)).toEqual(new Set([span?.spanContext().spanId]))
  })

  it('marks a failed run with error.type and rethrows', async () => {
    class QuotaError extends Error {
      override name = 'QuotaError'
    }
    const executor: Executor = {
      async execute() {
        throw new QuotaError('out of tokens')
      },
    }
    const traced = tracedExecutor(executor, tracer, propagator, agent)
    await expect(
      traced.execute(new FakeContext() as unknown as RequestContext, {} as TaskEvents) as Promise<unknown>,
    ).rejects.toThrow('out of tokens')
    const [span] = exporter.getFinishedSpans()
    expect(span?.attributes['error.type']).toBe('QuotaError')
    expect(span?.status.code).toBe(2)
  })
})
