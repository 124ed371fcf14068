import type { ExecuteFn, Executor, RequestContext } from '@molecule/adapter-core'
import {
  type Context,
  context,
  defaultTextMapGetter,
  defaultTextMapSetter,
  ROOT_CONTEXT,
  type Span,
  SpanKind,
  SpanStatusCode,
  type TextMapPropagator,
  type Tracer,
  trace,
} from '@opentelemetry/api'
import { ATTR } from './gen-ai.js'

type ExecuteReturn = ReturnType<ExecuteFn>

export interface AgentIdentity {
  workspaceId: string
  agentName: string
}

/** Ends a span, marking it failed with `error.type` (the error's class or code) when there was an error. */
export function endSpan(span: Span, error?: unknown, errorType?: string): void {
  const type =
    errorType ??
    (error === undefined
      ? undefined
      : ((error as { code?: unknown }).code as string | undefined) ||
        (error instanceof Error ? error.name : '_OTHER'))
  if (type !== undefined) {
    span.setAttribute(ATTR.errorType, String(type))
    span.setStatus({ code: SpanStatusCode.ERROR })
  }
  span.end()
}

function isAsyncIterable(value: unknown): value is AsyncIterable<unknown> {
  return typeof value === 'object' && value !== null && Symbol.asyncIterator in value
}

/** Each step of a streaming executor runs inside the task's context (a generator resumes in its caller's context). */
async function* inContext<T>(source: AsyncIterable<T>, active: Context, span: Span): AsyncGenerator<T> {
  const iterator = source[Symbol.asyncIterator]()
  let failure: unknown
  try {
    for (;;) {
      const step = await context.with(active, () => iterator.next())
      if (step.done) return
      yield step.value
    }
  } catch (err) {
    failure = err
    throw err
  } finally {
    await iterator.return?.()
    endSpan(span, failure)
  }
}

/**
 * The executor inside an `invoke_agent <name>` server span per A2A task, parented on the caller's trace context
 * (the request's `traceparent`/`tracestate`). The executor runs with that span active, and its context's
 * `traceparent`/`tracestate` name the span, so an adapter's own `chat` spans (through `@opentelemetry/api` or from
 * the header value) are its children.
 */
export function tracedExecutor(
  executor: Executor,
  tracer: Tracer,
  propagator: TextMapPropagator,
  agent: AgentIdentity,
): Executor {
  return {
    ...executor,
    execute(ctx, events): ExecuteReturn {
      const carrier: Record<string, string> = {}
      if (ctx.traceparent) carrier.traceparent = ctx.traceparent
      if (ctx.tracestate) carrier.tracestate = ctx.tracestate
      const parent = propagator.extract(ROOT_CONTEXT, carrier, defaultTextMapGetter)
      const span = tracer.startSpan(
        `invoke_agent ${agent.agentName}`,
        {
          kind: SpanKind.SERVER,
          attributes: {
            [ATTR.operationName]: 'invoke_agent',
            [ATTR.agentName]: agent.agentName,
            [ATTR.agentId]: agent.workspaceId,
            [ATTR.conversationId]: ctx.contextId,
            [ATTR.workspaceId]: agent.workspaceId,
            [ATTR.taskId]: ctx.taskId,
          },
        },
        parent,
      )
      const active = trace.setSpan(parent, span)
      const own: Record<string, string> = {}
      propagator.inject(active, own, defaultTextMapSetter)
      const traced = withTraceContext(ctx, own.traceparent, own.tracestate)
      let result: ExecuteReturn
      try {
        result = context.with(active, () => executor.execute(traced, events))
      } catch (err) {
        endSpan(span, err)
        throw err
      }
      if (isAsyncIterable(result)) return inContext(result, active, span) as ExecuteReturn
      return Promise.resolve(result).then(
        (value) => {
          endSpan(span)
          return value
        },
        (err: unknown) => {
          endSpan(span, err)
          throw err
        },
      ) as ExecuteReturn
    },
  }
}

/**
 * The request context with `traceparent`/`tracestate` naming the task's span. A proxy, not a copy: the context's
 * getters and methods use private fields of the object the server built, so they run against it.
 */
function withTraceContext(
  ctx: RequestContext,
  traceparent: string | undefined,
  tracestate: string | undefined,
): RequestContext {
  return new Proxy(ctx, {
    get(target, property) {
      if (property === 'traceparent') return traceparent ?? target.traceparent
      if (property === 'tracestate') return traceparent ? tracestate : target.tracestate
      const value = Reflect.get(target, property, target)
      return typeof value === 'function' ? value.bind(target) : value
    },
  })
}
