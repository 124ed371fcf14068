import { createServer, type Server } from 'node:http'
import type { AddressInfo, Socket } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { nodeTransport, TransportTimeout } from './http-transport.js'
import type { Http1Origin } from './http1/connection-pool.js'

let server: Server | undefined
afterEach(async () => {
  server?.closeAllConnections()
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()))
  server = undefined
})

/** A loopback server that answers with `answer` and counts the TCP connections it accepted. */
async function serve(
  answer: (body: string, socket: Socket) => string | undefined | Promise<string>,
): Promise<{ url: string; connections: () => number }> {
  let connections = 0
  server = createServer((req, res) => {
    let body = ''
    req.on('data', (c) => (body += c))
    req.on('end', async () => {
      const out = await answer(body, req.socket)
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

function originOf(url: string): Http1Origin {
  const u = new URL(url)
  return { secure: false, hostname: u.hostname, port: u.port }
}

/** One exchange through the transport, with a 10 s timeout unless given. */
function send(url: string, method: string, body?: string, timeoutMs = 10_000, signal?: AbortSignal) {
  const u = new URL(url)
  return nodeTransport(originOf(url), u.pathname + u.search, { method, headers: {}, body }, timeoutMs, signal)
}

describe('nodeTransport', () => {
  it('sends the body with its length, reads status, headers and text, and reuses the connection', async () => {
    const target = await serve((body) => JSON.stringify({ echoed: body }))
    const first = await send(target.url, 'POST', '{"a":"é"}')
    expect(first.status).toBe(201)
    expect(first.headers.get('Content-Type')).toBe('application/json')
    expect(first.headers.get('x-seen')).toBe('POST, two')
    expect(first.headers.get('missing')).toBeNull()
    expect(JSON.parse(await first.text())).toEqual({ echoed: '{"a":"é"}' })
    await send(target.url, 'GET')
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
    await send(target.url, 'GET')
    const res = await send(target.url, 'POST', '{}')
    expect(res.status).toBe(201)
    expect(calls).toBe(3)
    expect(target.connections()).toBe(2)
  })

  it('fails like fetch: a TypeError whose cause carries the system error code', async () => {
    const target = await serve(() => '{}')
    const url = target.url
    server?.close()
    server = undefined
    const err = await send(url, 'GET').catch((e: unknown) => e)
    expect(err).toBeInstanceOf(TypeError)
    expect((err as { cause?: { code?: string } }).cause?.code).toBe('ECONNREFUSED')
  })

  it('stops at once when its signal aborts, with the signal’s reason', async () => {
    const silent = await serve(() => undefined) // never answers
    const controller = new AbortController()
    const pending = send(silent.url, 'GET', undefined, 10_000, controller.signal)
    const reason = new Error('gave up')
    setTimeout(() => controller.abort(reason), 20)
    await expect(pending).rejects.toBe(reason)
  })

  it('keeps long calls (an A2A send waiting minutes) off the pool that heartbeats use', async () => {
    const held: (() => void)[] = []
    const target = await serve((body) => {
      if (body === 'hold') return new Promise<string>((resolve) => held.push(() => resolve('{}')))
      return '{}'
    })
    const long = Array.from({ length: 20 }, () => send(target.url, 'POST', 'hold', 300_000))
    await new Promise((r) => setTimeout(r, 50))
    const beat = await send(target.url, 'POST', 'beat')
    expect(beat.status).toBe(201)
    for (const release of held) release()
    await Promise.all(long)
  })

  it('gives up after its own timeout with a TransportTimeout', async () => {
    const silent = await serve(() => undefined) // never answers
    const err = await send(silent.url, 'GET', undefined, 50).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(TransportTimeout)
  })
})
