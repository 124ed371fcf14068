import type { Executor } from '@molecule/adapter-core'
import type { Logger } from '@molecule/core'
import type { RequestTracer } from '@molecule/platform-client'
import { CompositePropagator, W3CBaggagePropagator, W3CTraceContextPropagator } from '@opentelemetry/core'
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http'
import { resourceFromAttributes } from '@opentelemetry/resources'
import {
  BatchSpanProcessor,
  ConsoleSpanExporter,
  NodeTracerProvider,
  SimpleSpanProcessor,
  type SpanProcessor,
} from '@opentelemetry/sdk-trace-node'
import { TRACER_NAME } from './gen-ai.js'
import { platformRequestTracer } from './request-tracer.js'
import type { TelemetrySettings } from './telemetry-settings.js'
import { type AgentIdentity, tracedExecutor } from './traced-executor.js'
import { type RunnableTool, tracedTools } from './traced-tools.js'

/** What the boot phases use when tracing is on. */
export interface RuntimeTelemetry {
  /** For the platform client: a client span and the trace headers on every request. */
  requestTracer: RequestTracer
  traceExecutor(executor: Executor): Executor
  traceTools<T extends RunnableTool>(tools: readonly T[]): T[]
  /** Exports what is buffered and stops the exporters (called last when the runtime stops). */
  shutdown(): Promise<void>
}

function processors(settings: TelemetrySettings, log: Logger): SpanProcessor[] {
  const batch = { scheduledDelayMillis: settings.scheduleDelayMs }
  const out: SpanProcessor[] = []
  const add = (what: string, make: () => SpanProcessor) => {
    try {
      out.push(make())
    } catch (err) {
      log.warn(
        { err: (err as Error).message, exporter: what },
        'trace exporter could not start; spans skip it',
      )
    }
  }
  const { otlpTracesUrl, langfuse } = settings
  if (otlpTracesUrl) {
    add(
      'otlp',
      () =>
        new BatchSpanProcessor(
          new OTLPTraceExporter({ url: otlpTracesUrl, headers: settings.otlpHeaders }),
          batch,
        ),
    )
  }
  if (langfuse) {
    add(
      'langfuse',
      () =>
        new BatchSpanProcessor(
          new OTLPTraceExporter({ url: langfuse.url, headers: { Authorization: langfuse.authorization } }),
          batch,
        ),
    )
  }
  if (settings.console) add('console', () => new SimpleSpanProcessor(new ConsoleSpanExporter()))
  return out
}

/**
 * Loaded only when tracing is configured (see telemetry-settings.ts): the Node SDK with an OTLP/HTTP (JSON)
 * exporter, Langfuse's OTLP endpoint when its keys are set, the console when `OTEL_DEBUG` is. The provider and the
 * W3C propagators are registered globally, so an adapter using `@opentelemetry/api` joins the same traces.
 */
export function startTelemetry(
  settings: TelemetrySettings,
  agent: AgentIdentity,
  log: Logger,
): RuntimeTelemetry {
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({
      'service.name': settings.serviceName ?? `molecule-${agent.workspaceId}`,
      'workspace.id': agent.workspaceId,
      'gen_ai.agent.name': agent.agentName,
    }),
    spanProcessors: processors(settings, log),
  })
  const propagator = new CompositePropagator({
    propagators: [new W3CTraceContextPropagator(), new W3CBaggagePropagator()],
  })
  // Registers the provider, the AsyncLocalStorage context manager and the propagators globally. Where another
  // provider was registered first (an embedding program, a second runtime in one process) that one keeps its
  // place; this runtime's spans still reach its own exporters through its own tracer.
  provider.register({ propagator })
  const tracer = provider.getTracer(TRACER_NAME)
  log.info(
    {
      otlp: Boolean(settings.otlpTracesUrl),
      langfuse: Boolean(settings.langfuse),
      console: settings.console,
    },
    'tracing on',
  )
  return {
    requestTracer: platformRequestTracer(tracer, propagator, agent.workspaceId),
    traceExecutor: (executor) => tracedExecutor(executor, tracer, propagator, agent),
    traceTools: (tools) => tracedTools(tools, tracer, agent),
    shutdown: () => provider.shutdown(),
  }
}
