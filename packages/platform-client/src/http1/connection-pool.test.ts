import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { createServer as createHttpsServer } from 'node:https'
import { createServer, type Server, type Socket } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { TransportTimeout } from '../transport-errors.js'
import { Http1Pool } from './connection-pool.js'

const servers: { close(cb?: () => void): unknown; closeAllConnections?: () => void }[] = []
const sockets = new Set<Socket>()
afterEach(async () => {
  for (const socket of sockets) socket.destroy()
  sockets.clear()
  await Promise.all(servers.splice(0).map((s) => new Promise<void>((r) => s.close(() => r()))))
})

interface RawRequest {
  head: string
  body: string
  socket: Socket
  /** Requests seen on this connection before this one. */
  index: number
}

/**
 * A loopback TCP server speaking just enough HTTP/1.1 to script answers byte for byte: `answer` gets each request
 * (head and Content-Length body) and writes whatever it likes to the socket.
 */
async function rawServer(answer: (request: RawRequest) => void) {
  let connections = 0
  const server: Server = createServer((socket) => {
    connections++
    sockets.add(socket)
    let buffer = ''
    let index = 0
    socket.setEncoding('latin1')
    socket.on('data', (chunk: string) => {
      buffer += chunk
      for (;;) {
        const end = buffer.indexOf('\r\n\r\n')
        if (end < 0) return
        const head = buffer.slice(0, end)
        const length = Number(/content-length: (\d+)/i.exec(head)?.[1] ?? 0)
        if (buffer.length < end + 4 + length) return
        const body = buffer.slice(end + 4, end + 4 + length)
        buffer = buffer.slice(end + 4 + length)
        answer({ head, body, socket, index: index++ })
      }
    })
    socket.on('error', () => {})
  })
  servers.push(server)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const port = String((server.address() as { port: number }).port)
  return { port, connections: () => connections }
}

const ok = (body = '{}', extra = '') =>
  `HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n${extra}Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`

function poolOf(port: string, maxSockets = 8) {
  return new Http1Pool({ secure: false, hostname: '127.0.0.1', port }, maxSockets)
}

const get = (pool: Http1Pool, path = '/x', timeoutMs = 5_000, signal?: AbortSignal) =>
  pool.request({ method: 'GET', path, headers: { accept: 'application/json' } }, timeoutMs, signal)

describe('Http1Pool', () => {
  it('writes the request as node would, and reads the answer', async () => {
    const seen: RawRequest[] = []
    const server = await rawServer((request) => {
      seen.push(request)
      request.socket.write(ok('{"é":1}'))
    })
    const pool = poolOf(server.port)
    const response = await pool.request(
      {
        method: 'POST',
        path: '/registry/heartbeat?a=1',
        headers: { 'X-Workspace-ID': 'ws' },
        body: '{"é":1}',
      },
      5_000,
    )
    expect(response.status).toBe(200)
    expect(response.body.toString()).toBe('{"é":1}')
    expect(seen[0]?.head.split('\r\n')).toEqual([
      'POST /registry/heartbeat?a=1 HTTP/1.1',
      `Host: 127.0.0.1:${server.port}`,
      'X-Workspace-ID: ws',
      'Content-Length: 8',
      'Connection: keep-alive',
    ])
    expect(Buffer.from(seen[0]?.body ?? '', 'latin1').toString('utf8')).toBe('{"é":1}')
  })

  it('keeps one connection for exchanges one after the other, and at most maxSockets for a burst', async () => {
    let open = 0
    let peak = 0
    const server = await rawServer((request) => {
      if (request.index === 0) peak = Math.max(peak, ++open)
      setTimeout(() => request.socket.write(ok()), 5)
    })
    const pool = poolOf(server.port, 3)
    await get(pool)
    await get(pool)
    expect(server.connections()).toBe(1)
    const answers = await Promise.all(Array.from({ length: 30 }, () => get(pool)))
    expect(answers.every((r) => r.status === 200)).toBe(true)
    expect(server.connections()).toBeLessThanOrEqual(3)
    expect(peak).toBeLessThanOrEqual(3)
  })

  it('opens a new connection when the server closed the idle one, without an error', async () => {
    const server = await rawServer((request) => {
      request.socket.write(ok())
      request.socket.end() // closes after every answer, announced only by the FIN
    })
    const pool = poolOf(server.port)
    await get(pool)
    await new Promise((r) => setTimeout(r, 50))
    expect((await get(pool)).status).toBe(200)
    expect(server.connections()).toBe(2)
  })

  it('sends once more on a fresh connection when a reused one was dropped before any answer', async () => {
    let calls = 0
    const server = await rawServer((request) => {
      calls++
      if (calls === 2) request.socket.destroy()
      else request.socket.write(ok())
    })
    const pool = poolOf(server.port)
    await get(pool)
    expect((await get(pool)).status).toBe(200)
    expect(calls).toBe(3)
    expect(server.connections()).toBe(2)
  })

  it('does not resend when the connection broke in the middle of an answer', async () => {
    let calls = 0
    const server = await rawServer((request) => {
      calls++
      if (calls === 1) request.socket.write(ok())
      else {
        request.socket.write('HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc')
        setTimeout(() => request.socket.destroy(), 10)
      }
    })
    const pool = poolOf(server.port)
    await get(pool)
    const err = await get(pool).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(TypeError)
    expect(calls).toBe(2)
  })

  it('honours Keep-Alive: timeout with a second to spare (timeout=1 is never reused)', async () => {
    const server = await rawServer((request) => request.socket.write(ok('{}', 'Keep-Alive: timeout=1\r\n')))
    const pool = poolOf(server.port)
    await get(pool)
    await get(pool)
    expect(server.connections()).toBe(2)
  })

  it('refuses a malformed answer as a network error and does not reuse that connection', async () => {
    let calls = 0
    const server = await rawServer((request) => {
      calls++
      request.socket.write(calls === 1 ? 'SMTP ready\r\n\r\n' : ok())
    })
    const pool = poolOf(server.port)
    const err = (await get(pool).catch((e: unknown) => e)) as TypeError & {
      cause?: Error & { code?: string }
    }
    expect(err).toBeInstanceOf(TypeError)
    expect(err.cause?.code).toBe('HPE_INVALID_RESPONSE')
    expect(err.cause?.message).toContain('status line')
    expect((await get(pool)).status).toBe(200)
    expect(server.connections()).toBe(2)
  })

  it('closes a connection that sends bytes nobody asked for', async () => {
    const server = await rawServer((request) => {
      request.socket.write(ok())
      setTimeout(() => request.socket.write('HTTP/1.1 200 OK\r\n\r\n'), 10)
    })
    const pool = poolOf(server.port)
    await get(pool)
    await new Promise((r) => setTimeout(r, 50))
    expect(pool.openConnections).toBe(0)
    expect((await get(pool)).status).toBe(200)
  })

  it('times out a waiting exchange with TransportTimeout, also while queued, and carries on after', async () => {
    const held: Socket[] = []
    const server = await rawServer((request) => {
      if (request.head.startsWith('GET /hold')) held.push(request.socket)
      else request.socket.write(ok())
    })
    const pool = poolOf(server.port, 1)
    const holding = get(pool, '/hold', 2_000)
    const queued = await get(pool, '/next', 50).catch((e: unknown) => e)
    expect(queued).toBeInstanceOf(TransportTimeout)
    held[0]?.write(ok())
    expect((await holding).status).toBe(200)
    expect((await get(pool)).status).toBe(200)
  })

  it('stops at once when its signal aborts, with the signal’s reason, in flight or queued', async () => {
    const server = await rawServer(() => {}) // never answers
    const pool = poolOf(server.port, 1)
    const controller = new AbortController()
    const reason = new Error('gave up')
    const inFlight = get(pool, '/a', 5_000, controller.signal)
    const queued = get(pool, '/b', 5_000, controller.signal)
    setTimeout(() => controller.abort(reason), 20)
    await expect(inFlight).rejects.toBe(reason)
    await expect(queued).rejects.toBe(reason)
    await expect(get(pool, '/c', 5_000, controller.signal)).rejects.toBe(reason)
  })

  it('reports a refused connection as fetch does: a TypeError whose cause has the system code', async () => {
    const server = await rawServer(() => {})
    const port = server.port
    const [closing] = servers.splice(0)
    await new Promise<void>((r) => closing?.close(() => r()))
    const err = (await get(poolOf(port)).catch((e: unknown) => e)) as TypeError & {
      cause?: { code?: string }
    }
    expect(err).toBeInstanceOf(TypeError)
    expect(err.cause?.code).toBe('ECONNREFUSED')
  })

  it('never puts a header value with a line break on the wire, and never repeats the value in the error', async () => {
    const server = await rawServer((request) => request.socket.write(ok()))
    const pool = poolOf(server.port)
    const err = (await pool
      .request({ method: 'GET', path: '/x', headers: { authorization: 'Bearer abc\r\nX-Evil: 1' } }, 1_000)
      .catch((e: unknown) => e)) as Error
    expect(err).toBeInstanceOf(TypeError)
    expect(err.message).toContain('authorization')
    expect(err.message).not.toContain('abc')
    expect(server.connections()).toBe(0)
  })

  it('speaks TLS to an https origin, checking its certificate', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'http1-tls-'))
    try {
      // A throwaway self-signed certificate for 127.0.0.1 (openssl is one of the system tools `pnpm test` checks).
      execFileSync(
        'openssl',
        [
          'req',
          '-x509',
          '-newkey',
          'ec',
          '-pkeyopt',
          'ec_paramgen_curve:prime256v1',
          '-nodes',
          '-days',
          '1',
          '-subj',
          '/CN=127.0.0.1',
          '-addext',
          'subjectAltName=IP:127.0.0.1',
          '-keyout',
          join(dir, 'key.pem'),
          '-out',
          join(dir, 'cert.pem'),
        ],
        { stdio: 'ignore' },
      )
      const cert = readFileSync(join(dir, 'cert.pem'))
      const resumed: boolean[] = []
      const server = createHttpsServer({ key: readFileSync(join(dir, 'key.pem')), cert }, (req, res) => {
        resumed.push((req.socket as import('node:tls').TLSSocket).isSessionReused())
        res.setHeader('content-type', 'application/json')
        // Closing after each answer makes every request open a connection: the second resumes the first's session.
        res.setHeader('connection', 'close')
        res.end(JSON.stringify({ path: req.url, host: req.headers.host }))
      })
      servers.push(server)
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
      const port = String((server.address() as { port: number }).port)
      const origin = { secure: true, hostname: '127.0.0.1', port }
      const trusted = new Http1Pool(origin, 2, { ca: cert })
      const first = await get(trusted, '/tls?x=1')
      expect(JSON.parse(first.body.toString())).toEqual({ path: '/tls?x=1', host: `127.0.0.1:${port}` })
      expect((await get(trusted)).status).toBe(200)
      expect(resumed).toEqual([false, true])
      const untrusted = (await get(new Http1Pool(origin, 2)).catch((e: unknown) => e)) as TypeError & {
        cause?: { code?: string }
      }
      expect(untrusted).toBeInstanceOf(TypeError)
      expect(untrusted.cause?.code).toMatch(/SELF_SIGNED|UNABLE_TO_VERIFY/)
      server.closeAllConnections()
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
