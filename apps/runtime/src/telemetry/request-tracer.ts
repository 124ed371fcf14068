import type { RequestTracer } from '@molecule/platform-client'
import {
  context,
  defaultTextMapSetter,
  SpanKind,
  type TextMapPropagator,
  type Tracer,
  trace,
} from '@opentelemetry/api'
import { ATTR } from './gen-ai.js'
import { endSpan } from './traced-executor.js'

const A2A_PATH = /^\/workspaces\/([^/]+)\/a2a$/
// Ids in paths would make every span name unique; the route keeps the name groupable.
const ID_SEGMENT = /\/(?:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|ws-[^/]+)(?=\/|$)/gi

type Json = Record<string, unknown>

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** The A2A envelope with the trace context in `params.metadata` too (the platform's proxy forwards no headers). */
function withMetadataContext(json: unknown, carrier: Record<string, string>): unknown {
  if (!isObject(json) || !isObject(json.params) || !carrier.traceparent) return json
  const metadata = isObject(json.params.metadata) ? json.params.metadata : {}
  return { ...json, params: { ...json.params, metadata: { ...metadata, ...carrier } } }
}

/**
 * A client span per platform request, the trace context injected into its headers. A message to another
 * workspace (`POST /workspaces/:id/a2a`, what delegation sends through the platform's proxy) is an
 * `invoke_agent <target>` client span and also carries the context in the JSON-RPC `params.metadata`.
 */
export function platformRequestTracer(
  tracer: Tracer,
  propagator: TextMapPropagator,
  workspaceId: string,
): RequestTracer {
  return {
    async trace(request, send) {
      const target = request.method === 'POST' ? A2A_PATH.exec(request.path)?.[1] : undefined
      const route = request.path.replace(ID_SEGMENT, '/:id')
      const attributes: Record<string, string> = {
        [ATTR.workspaceId]: workspaceId,
        [ATTR.httpMethod]: request.method,
        [ATTR.urlPath]: route,
      }
      if (target !== undefined) {
        attributes[ATTR.operationName] = 'invoke_agent'
        attributes[ATTR.agentId] = target
        attributes[ATTR.targetWorkspaceId] = target
      }
      const name = target !== undefined ? `invoke_agent ${target}` : `${request.method} ${route}`
      const span = tracer.startSpan(name, { kind: SpanKind.CLIENT, attributes }, context.active())
      const active = trace.setSpan(context.active(), span)
      const carrier: Record<string, string> = {}
      propagator.inject(active, carrier, defaultTextMapSetter)
      const json = target !== undefined ? withMetadataContext(request.json, carrier) : request.json
      try {
        const response = await context.with(active, () => send(carrier, json))
        span.setAttribute(ATTR.httpStatus, response.status)
        endSpan(span, undefined, response.status >= 400 ? String(response.status) : undefined)
        return response
      } catch (err) {
        endSpan(span, err)
        throw err
      }
    },
  }
}
