import { Hono } from 'hono'
import { errorJson, type RouteContext } from './route-context.js'
import { sseResponse } from './sse-response.js'

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
    return sseResponse(closers, SUBSCRIBER_BUFFER, (write, hasRoom) => {
      write(': ping\n\n')
      return state.events.subscribe((event) => {
        if (event.workspaceId !== id || !hasRoom()) return
        const frame = { type: event.event, timestamp: event.at, data: event.payload }
        write(`data: ${JSON.stringify(frame)}\n\n`)
      })
    })
  })

  return app
}
