import net from 'node:net'
import tls from 'node:tls'
import { onAbort } from '../abort-watch.js'
import { hangUp, networkError, TransportTimeout } from '../transport-errors.js'
import { hostField, requestBytes } from './request-bytes.js'
import { type Http1Response, Http1ResponseParser } from './response-parser.js'

export interface Http1Origin {
  readonly secure: boolean
  /** Without IPv6 brackets. */
  readonly hostname: string
  /** Empty for the scheme's default. */
  readonly port: string
}

export interface Http1Request {
  method: string
  /** Path and query. */
  path: string
  headers: Record<string, string>
  body?: string | undefined
}

/** An idle connection without a `Keep-Alive: timeout` hint is reused for this long. */
const DEFAULT_IDLE_MS = 60_000
/** A server's `timeout=N` is honoured as N − 1 s (node's own margin), so a request never races the server's close. */
const IDLE_MARGIN_MS = 1_000
/** TCP keep-alive probes on connections that wait long (an A2A send) notice a peer that vanished. */
const TCP_KEEPALIVE_MS = 15_000

/**
 * Keep-alive HTTP/1.1 connections to one origin, at most `maxSockets` at a time, with a FIFO queue of the exchanges
 * that wait for one. It does what the platform client needs and nothing else — one exchange per connection at a time,
 * text bodies, no redirects, no upgrades — at a fraction of node's `http` client's CPU per request, which is most of
 * what an idle bridge serving many workspaces spends. Each exchange has its own timeout (`TransportTimeout`), an
 * abort signal (rejecting with its reason), and one retry on a fresh connection when a reused one turns out to be
 * closed before any byte of the answer came back.
 */
export class Http1Pool {
  readonly #idle: Connection[] = []
  readonly #queue: Exchange[] = []
  readonly #host: string
  #open = 0
  /** The last TLS session the server handed out: new connections resume it instead of a full handshake. */
  tlsSession: Buffer | undefined

  /** @param tlsOptions extra options of `tls.connect` for https origins (a private CA); tests use it. */
  constructor(
    readonly origin: Http1Origin,
    readonly maxSockets: number,
    readonly tlsOptions: tls.ConnectionOptions = {},
  ) {
    this.#host = hostField(origin.hostname, origin.port, origin.secure)
  }

  /** Connections open now (busy and idle). */
  get openConnections(): number {
    return this.#open
  }

  request(request: Http1Request, timeoutMs: number, signal?: AbortSignal): Promise<Http1Response> {
    if (signal?.aborted) return Promise.reject(signal.reason)
    let bytes: Buffer
    try {
      bytes = requestBytes(this.#host, request.method, request.path, request.headers, request.body)
    } catch (err) {
      return Promise.reject(err)
    }
    return new Promise<Http1Response>((resolve, reject) => {
      this.#queue.push(new Exchange(this, request.method, bytes, resolve, reject, timeoutMs, signal))
      this.#pump()
    })
  }

  /** Gives queued exchanges the idle connections, then new ones up to the limit. */
  #pump(): void {
    while (this.#queue.length > 0) {
      let connection = this.#takeIdle()
      if (connection === undefined) {
        if (this.#open >= this.maxSockets) return
        connection = this.#connect()
      }
      connection.run(this.#queue.shift() as Exchange)
    }
  }

  /** The most recently used idle connection that has not expired (LIFO keeps the fewest connections warm). */
  #takeIdle(): Connection | undefined {
    const now = Date.now()
    for (;;) {
      const connection = this.#idle.pop()
      if (connection === undefined) return undefined
      if (connection.expiresAt > now) return connection
      connection.destroy()
    }
  }

  #connect(): Connection {
    this.#open++
    return new Connection(this, this.origin, this.tlsOptions)
  }

  /** @internal A connection finished an exchange and may carry another. */
  release(connection: Connection, keepAliveMs: number | undefined): void {
    const idleMs = keepAliveMs === undefined ? DEFAULT_IDLE_MS : keepAliveMs - IDLE_MARGIN_MS
    if (idleMs <= 0) {
      connection.destroy()
      return
    }
    connection.expiresAt = Date.now() + idleMs
    connection.socket.unref()
    this.#idle.push(connection)
    this.#pump()
  }

  /** @internal A connection closed (busy or idle). */
  closed(connection: Connection): void {
    this.#open--
    const at = this.#idle.indexOf(connection)
    if (at >= 0) this.#idle.splice(at, 1)
    this.#pump()
  }

  /** @internal An exchange whose reused connection was already closed: once more, on a fresh connection. */
  retry(exchange: Exchange): void {
    exchange.retried = true
    this.#connect().run(exchange)
  }

  /** @internal An exchange gave up before it got a connection. */
  dequeue(exchange: Exchange): void {
    const at = this.#queue.indexOf(exchange)
    if (at >= 0) this.#queue.splice(at, 1)
  }
}

/** One request and its answer, from the queue to the end. */
class Exchange {
  connection: Connection | undefined
  retried = false
  #settled = false
  readonly #timer: NodeJS.Timeout
  readonly #stopWatching: (() => void) | undefined

  constructor(
    private readonly pool: Http1Pool,
    readonly method: string,
    readonly bytes: Buffer,
    private readonly resolve: (response: Http1Response) => void,
    private readonly reject: (reason: unknown) => void,
    timeoutMs: number,
    signal: AbortSignal | undefined,
  ) {
    this.#timer = setTimeout(() => this.fail(new TransportTimeout(timeoutMs)), timeoutMs)
    this.#stopWatching = signal ? onAbort(signal, () => this.fail(signal.reason)) : undefined
  }

  succeed(response: Http1Response): void {
    if (this.#end()) this.resolve(response)
  }

  /** Ends the exchange with `reason`; a connection it was using is closed, as its state is unknown now. */
  fail(reason: unknown): void {
    if (!this.#end()) return
    const connection = this.connection
    this.connection = undefined
    if (connection) connection.abandon()
    else this.pool.dequeue(this)
    this.reject(reason)
  }

  #end(): boolean {
    if (this.#settled) return false
    this.#settled = true
    clearTimeout(this.#timer)
    this.#stopWatching?.()
    return true
  }
}

/** One TCP (or TLS) connection, carrying one exchange at a time. */
class Connection {
  readonly socket: net.Socket
  expiresAt = 0
  #exchange: Exchange | undefined
  #parser: Http1ResponseParser | undefined
  #served = 0
  #error: Error | undefined
  #closed = false

  constructor(
    private readonly pool: Http1Pool,
    origin: Http1Origin,
    tlsOptions: tls.ConnectionOptions,
  ) {
    const port = Number(origin.port || (origin.secure ? 443 : 80))
    this.socket = origin.secure
      ? tls.connect({
          ...tlsOptions,
          host: origin.hostname,
          port,
          ALPNProtocols: ['http/1.1'],
          ...(net.isIP(origin.hostname) ? {} : { servername: origin.hostname }),
          ...(pool.tlsSession ? { session: pool.tlsSession } : {}),
        })
      : net.connect({ host: origin.hostname, port })
    if (origin.secure) {
      this.socket.on('session', (session: Buffer) => {
        pool.tlsSession = session
      })
    }
    this.socket.setNoDelay(true)
    this.socket.setKeepAlive(true, TCP_KEEPALIVE_MS)
    this.socket.on('data', (bytes: Buffer) => this.#onData(bytes))
    this.socket.on('end', () => this.#onEnd())
    this.socket.on('error', (err: Error) => {
      this.#error = err
    })
    this.socket.on('close', () => this.#onClose())
  }

  run(exchange: Exchange): void {
    this.#exchange = exchange
    exchange.connection = this
    this.#parser = new Http1ResponseParser(exchange.method)
    this.socket.ref()
    this.socket.write(exchange.bytes)
  }

  destroy(): void {
    this.socket.destroy()
  }

  /** The exchange gave up (timeout, abort): the connection is closed without failing it a second time. */
  abandon(): void {
    this.#exchange = undefined
    this.socket.destroy()
  }

  #onData(bytes: Buffer): void {
    const exchange = this.#exchange
    const parser = this.#parser
    if (exchange === undefined || parser === undefined) {
      // Bytes nobody asked for: the connection is out of step with the server.
      this.socket.destroy()
      return
    }
    let response: Http1Response | undefined
    try {
      response = parser.push(bytes)
    } catch (err) {
      exchange.fail(networkError(err))
      return
    }
    if (response !== undefined) this.#complete(exchange, response)
  }

  /** The server closed its side: an answer that runs to the end of the connection is complete now. */
  #onEnd(): void {
    const exchange = this.#exchange
    if (exchange === undefined || this.#parser === undefined) return
    try {
      this.#complete(exchange, { ...this.#parser.end(), reusable: false })
    } catch {
      // Cut short: `close` follows and reports it (or retries the exchange).
    }
  }

  #complete(exchange: Exchange, response: Http1Response): void {
    this.#exchange = undefined
    this.#parser = undefined
    exchange.connection = undefined
    this.#served++
    if (response.reusable && !this.#closed) this.pool.release(this, response.keepAliveMs)
    else this.socket.destroy()
    exchange.succeed(response)
  }

  #onClose(): void {
    this.#closed = true
    this.pool.closed(this)
    const exchange = this.#exchange
    if (exchange === undefined) return
    this.#exchange = undefined
    exchange.connection = undefined
    // A kept-alive connection the server closed while it was idle fails before any byte of the answer: the request
    // never reached a handler, so it is sent once more on a fresh connection (node's documented handling).
    if (this.#served > 0 && !this.#parser?.received && !exchange.retried) {
      this.pool.retry(exchange)
      return
    }
    exchange.fail(networkError(this.#error ?? hangUp()))
  }
}
