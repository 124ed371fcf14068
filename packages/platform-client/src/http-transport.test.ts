import { createServer, type Server } from 'node:http'
import type { AddressInfo, Socket } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { nodeTransport } from './http-transport.js'

let server: Server | undefined
afterEach(async () => {
  server?.closeAllConnections()
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()))
  server = undefined
})

/** A loopback server that answers with `answer` and counts the TCP connections it accepted. */
async function serve(
  answer: (body: string, socket: Socket) => string | undefined,
): Promise<{ url: string; connections: () => number }> {
  let connections = 0
  server = createServer((req, res) => {
    let body = ''
    req.on('data', (c) => (body += c))
    req.on('end', () => {
      const out = answer(body, req.socket)
      if (typeof out === 'string') {
        res.writeHead(201, { 'content-type': 'application/json', 'x-seen': [req.method ?? '', 'two'] })
        res.end(out)
      }
    })
  })
  server.on('connection', () => connections++)
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve))
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/x`,
    connections: () => connections,
  }
}

const signal = () => AbortSignal.timeout(5_000)

describe('nodeTransport', () => {
  it('sends the body with its length, reads status, headers and text, and reuses the connection', async () => {
    const target = await serve((body) => JSON.stringify({ echoed: body }))
    const first = await nodeTransport(target.url, {
      method: 'POST',
      headers: {},
      body: '{"a":"é"}',
      signal: signal(),
    })
    expect(first.status).toBe(201)
    expect(first.headers.get('Content-Type')).toBe('application/json')
    expect(first.headers.get('x-seen')).toBe('POST, two')
    expect(first.headers.get('missing')).toBeNull()
    expect(JSON.parse(await first.text())).toEqual({ echoed: '{"a":"é"}' })
    await nodeTransport(target.url, { method: 'GET', headers: {}, signal: signal() })
    expect(target.connections()).toBe(1)
  })

  it('sends once more on a fresh connection when the server dropped the pooled one', async () => {
    let calls = 0
    const target = await serve((_body, socket) => {
      calls++
      // The second request arrives on the kept-alive connection: drop it without an answer, as a server closing an
      // idle connection at that very moment does.
      if (calls === 2) {
        socket.destroy()
        return undefined
      }
      return '{}'
    })
    await nodeTransport(target.url, { method: 'GET', headers: {}, signal: signal() })
    const res = await nodeTransport(target.url, { method: 'POST', headers: {}, body: '{}', signal: signal() })
    expect(res.status).toBe(201)
    expect(calls).toBe(3)
    expect(target.connections()).toBe(2)
  })

  it('fails like fetch: a TypeError whose cause carries the system error code', async () => {
    const target = await serve(() => '{}')
    const url = target.url
    server?.close()
    server = undefined
    const err = await nodeTransport(url, { method: 'GET', headers: {}, signal: signal() }).catch(
      (e: unknown) => e,
    )
    expect(err).toBeInstanceOf(TypeError)
    expect((err as { cause?: { code?: string } }).cause?.code).toBe('ECONNREFUSED')
  })

  it('stops at once when its signal aborts, with the signal’s reason', async () => {
    const silent = await serve(() => undefined) // never answers
    const controller = new AbortController()
    const pending = nodeTransport(silent.url, {
      method: 'GET',
      headers: {},
      signal: controller.signal,
    })
    const reason = new Error('gave up')
    setTimeout(() => controller.abort(reason), 20)
    await expect(pending).rejects.toBe(reason)
  })
})
