/** One platform request as a tracer sees it, before it is sent. */
export interface TracedRequest {
  method: string
  path: string
  /** The JSON body (an A2A envelope for `POST /workspaces/:id/a2a`). */
  json: unknown
}

/**
 * Carries the caller's trace context to the platform: `trace` runs the request (every attempt of it) inside a
 * client span, handing `send` the headers to add (`traceparent`, `tracestate`) and the body to send instead (the
 * A2A proxy forwards no headers, so the context also rides in `params.metadata`). The runtime supplies one when
 * OpenTelemetry is configured; this package does not depend on OpenTelemetry.
 */
export interface RequestTracer {
  trace<R extends { status: number }>(
    request: TracedRequest,
    send: (headers: Record<string, string>, json: unknown) => Promise<R>,
  ): Promise<R>
}
