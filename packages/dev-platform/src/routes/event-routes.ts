import { Hono } from 'hono'
import { errorJson, type RouteContext } from './route-context.js'

/** Per-subscriber buffer, as upstream: a slow reader loses events rather than growing memory. */
const SUBSCRIBER_BUFFER = 64

/**
 * `GET /workspaces/:id/events/stream`: server-sent events of one workspace (`: ping`, then one
 * `data: {"type","timestamp","data"}` frame per event). `closers` ends every open stream at shutdown.
 */
export function eventRoutes({ state }: RouteContext, closers: Set<() => void>): Hono {
  const app = new Hono()

  app.get('/stream', (c) => {
    const id = c.req.param('id') ?? ''
    if (!state.get(id)) return errorJson(c, 404, 'workspace not found')
    const encoder = new TextEncoder()
    let cleanup = () => {}
    const stream = new ReadableStream<Uint8Array>(
      {
        start(controller) {
          controller.enqueue(encoder.encode(': ping\n\n'))
          const unsubscribe = state.events.subscribe((event) => {
            if (event.workspaceId !== id) return
            if ((controller.desiredSize ?? 1) <= 0) return
            const frame = { type: event.event, timestamp: event.at, data: event.payload }
            controller.enqueue(encoder.encode(`data: ${JSON.stringify(frame)}\n\n`))
          })
          const close = () => {
            cleanup()
            try {
              controller.close()
            } catch {
              // already closed by the client
            }
          }
          cleanup = () => {
            unsubscribe()
            closers.delete(close)
          }
          closers.add(close)
        },
        cancel() {
          cleanup()
        },
      },
      new CountQueuingStrategy({ highWaterMark: SUBSCRIBER_BUFFER }),
    )
    return new Response(stream, {
      headers: { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache', Connection: 'keep-alive' },
    })
  })

  return app
}
