import { createServer, type IncomingHttpHeaders, type Server } from 'node:http'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { PlatformClient } from './client.js'
import type { RequestTracer, TracedRequest } from './request-tracer.js'

const TRACEPARENT = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01'
const received: Array<{ headers: IncomingHttpHeaders; body: string }> = []
let server: Server
let url = ''

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = ''
    req.on('data', (chunk) => {
      body += chunk
    })
    req.on('end', () => {
      received.push({ headers: req.headers, body })
      res.setHeader('content-type', 'application/json')
      res.end(
        JSON.stringify({ jsonrpc: '2.0', id: 1, result: { kind: 'message', role: 'agent', parts: [] } }),
      )
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  url = `http://127.0.0.1:${(server.address() as { port: number }).port}`
})
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())))

describe('RequestTracer', () => {
  it('wraps each request once, adds its headers and may replace the JSON body', async () => {
    received.length = 0
    const seen: Array<{ request: TracedRequest; status: number }> = []
    const tracer: RequestTracer = {
      async trace(request, send) {
        const json = { ...(request.json as object), traced: true }
        const response = await send({ traceparent: TRACEPARENT, tracestate: 'a=1' }, json)
        seen.push({ request, status: response.status })
        return response
      },
    }
    const client = new PlatformClient({ platformUrl: url, workspaceId: 'ws-a', token: 't', tracer })
    await client.sendA2A('ws-b', { jsonrpc: '2.0', id: 1, method: 'message/send', params: {} })
    expect(seen).toEqual([
      {
        request: {
          method: 'POST',
          path: '/workspaces/ws-b/a2a',
          json: { jsonrpc: '2.0', id: 1, method: 'message/send', params: {} },
        },
        status: 200,
      },
    ])
    expect(received).toHaveLength(1)
    expect(received[0]?.headers.traceparent).toBe(TRACEPARENT)
    expect(received[0]?.headers.tracestate).toBe('a=1')
    expect(JSON.parse(received[0]?.body ?? '{}')).toMatchObject({ traced: true, method: 'message/send' })
  })

  it('without a tracer the request carries no trace headers', async () => {
    received.length = 0
    const client = new PlatformClient({ platformUrl: url, workspaceId: 'ws-a', token: 't' })
    await client.sendA2A('ws-b', { jsonrpc: '2.0', id: 1, method: 'message/send', params: {} })
    expect(received[0]?.headers.traceparent).toBeUndefined()
    expect(JSON.parse(received[0]?.body ?? '{}')).not.toHaveProperty('traced')
  })
})
