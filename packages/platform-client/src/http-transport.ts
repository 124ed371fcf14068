import http from 'node:http'
import https from 'node:https'

/** A response as `PlatformHttp` reads it: what a fetch `Response` offers, and what the node transport builds. */
export interface TransportResponse {
  readonly status: number
  readonly headers: { get(name: string): string | null }
  text(): Promise<string>
  /** The body as a stream: only fetch responses have one (binary downloads read it with a cap). */
  readonly body?: ReadableStream<Uint8Array> | null
}

export interface TransportRequest {
  method: string
  headers: Record<string, string>
  body?: string | FormData | undefined
  signal: AbortSignal
}

/**
 * Keep-alive pools for the whole process, shared by every workspace a bridge serves. Short exchanges (heartbeats, inbox
 * polls, lookups) share a few connections per platform: a hundred workspaces polling in the same instant queue on
 * them for a few milliseconds rather than opening a hundred connections that the platform then closes as idle, so no
 * beat pays for a new TCP (or TLS) connection. Long calls (A2A sends that wait minutes for an agent) get a pool of their
 * own, so they can never hold up a heartbeat.
 */
const SHORT_POOL_SOCKETS = 8
export const LONG_CALL_MS = 30_000
const POOLS = {
  short: {
    'http:': new http.Agent({ keepAlive: true, scheduling: 'lifo', maxSockets: SHORT_POOL_SOCKETS }),
    'https:': new https.Agent({ keepAlive: true, scheduling: 'lifo', maxSockets: SHORT_POOL_SOCKETS }),
  },
  long: {
    'http:': new http.Agent({ keepAlive: true, scheduling: 'lifo' }),
    'https:': new https.Agent({ keepAlive: true, scheduling: 'lifo' }),
  },
}

/** Where a platform request goes, parsed once per client: only the path changes from call to call. */
export interface NodeTarget {
  readonly secure: boolean
  readonly hostname: string
  readonly port: string
  /** Path and query, e.g. `/workspaces/<id>/activity?type=a2a_receive`. */
  readonly path: string
}

export interface NodeExchange {
  method: string
  headers: Record<string, string>
  body?: string | undefined
}

/** The node transport gave up waiting: the caller turns it into `PLATFORM_TIMEOUT`. */
export class TransportTimeout extends Error {
  constructor(readonly timeoutMs: number) {
    super(`no answer within ${timeoutMs} ms`)
    this.name = 'TimeoutError'
  }
}

/**
 * A JSON or text exchange over node's own HTTP client with keep-alive agents: no fetch machinery to load at start (it
 * is a large share of a runtime's boot) and about half fetch's CPU per request, which is most of an idle bridge's work.
 * Its own timer bounds the whole exchange (rejecting with `TransportTimeout`) and `signal` cancels it (rejecting with
 * the signal's reason), without an AbortController per request. Multipart uploads and streamed downloads stay with
 * fetch (see `PlatformHttp`).
 */
export async function nodeTransport(
  target: NodeTarget,
  exchange: NodeExchange,
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<TransportResponse> {
  if (timeoutMs > LONG_CALL_MS) return nodeRequest(target, exchange, timeoutMs, signal, POOLS.long, true)
  // Short exchanges of every workspace fall due together (they share a grid): build the requests a few at a time, so
  // the objects of a hundred requests are never alive at once.
  await SHORT_IN_FLIGHT.acquire(signal)
  try {
    return await nodeRequest(target, exchange, timeoutMs, signal, POOLS.short, true)
  } finally {
    SHORT_IN_FLIGHT.release()
  }
}

/** A counting semaphore whose waiters leave the queue when their signal aborts. */
class Slots {
  #free: number
  readonly #waiting: Array<() => void> = []

  constructor(size: number) {
    this.#free = size
  }

  acquire(signal: AbortSignal | undefined): Promise<void> {
    if (this.#free > 0) {
      this.#free--
      return Promise.resolve()
    }
    if (signal?.aborted) return Promise.reject(signal.reason)
    return new Promise((resolve, reject) => {
      const grant = () => {
        signal?.removeEventListener('abort', onAbort)
        resolve()
      }
      const onAbort = () => {
        const at = this.#waiting.indexOf(grant)
        if (at >= 0) this.#waiting.splice(at, 1)
        reject(signal?.reason)
      }
      signal?.addEventListener('abort', onAbort, { once: true })
      this.#waiting.push(grant)
    })
  }

  release(): void {
    const next = this.#waiting.shift()
    if (next) next()
    else this.#free++
  }
}

const SHORT_IN_FLIGHT = new Slots(SHORT_POOL_SOCKETS)

/** A failure shaped as fetch's (`TypeError` with the system error as `cause`), so callers read one kind of error. */
function networkError(cause: unknown): TypeError {
  return Object.assign(new TypeError('fetch failed'), { cause })
}

function nodeRequest(
  target: NodeTarget,
  exchange: NodeExchange,
  timeoutMs: number,
  signal: AbortSignal | undefined,
  pool: (typeof POOLS)['short'],
  mayRetry: boolean,
): Promise<TransportResponse> {
  if (signal?.aborted) return Promise.reject(signal.reason)
  const { body } = exchange
  return new Promise<TransportResponse>((resolve, reject) => {
    const req = (target.secure ? https : http).request({
      hostname: target.hostname,
      port: target.port,
      path: target.path,
      method: exchange.method,
      headers:
        body === undefined
          ? exchange.headers
          : { ...exchange.headers, 'content-length': Buffer.byteLength(body) },
      agent: target.secure ? pool['https:'] : pool['http:'],
    })
    let answered = false
    let failure: unknown
    const stop = (reason: unknown) => {
      failure = reason
      req.destroy(reason instanceof Error ? reason : new Error(String(reason)))
    }
    const timer = setTimeout(() => stop(new TransportTimeout(timeoutMs)), timeoutMs)
    const onAbort = () => stop(signal?.reason)
    signal?.addEventListener('abort', onAbort, { once: true })
    const settle = () => {
      clearTimeout(timer)
      signal?.removeEventListener('abort', onAbort)
    }
    req.on('response', (res) => {
      answered = true
      res.setEncoding('utf8')
      let text = ''
      res.on('data', (chunk: string) => {
        text += chunk
      })
      res.on('end', () => {
        settle()
        resolve(new TextResponse(res.statusCode ?? 0, res.headers, text))
      })
      res.on('error', (err) => {
        settle()
        reject(failure ?? networkError(err))
      })
    })
    req.on('error', (err: NodeJS.ErrnoException) => {
      settle()
      if (failure !== undefined) return reject(failure)
      // A pooled connection the server closed while idle fails before anything was sent back: send once more on a
      // fresh connection (node's documented way to handle the keep-alive race).
      if (mayRetry && !answered && req.reusedSocket && (err.code === 'ECONNRESET' || err.code === 'EPIPE'))
        return resolve(nodeRequest(target, exchange, timeoutMs, signal, pool, false))
      reject(networkError(err))
    })
    req.end(body)
  })
}

/** A whole text answer of the node transport; prototype methods, so a response allocates no closures. */
class TextResponse implements TransportResponse {
  readonly body = null
  readonly headers: { get(name: string): string | null }

  constructor(
    readonly status: number,
    incoming: http.IncomingHttpHeaders,
    private readonly bodyText: string,
  ) {
    this.headers = new HeaderLookup(incoming)
  }

  text(): Promise<string> {
    return Promise.resolve(this.bodyText)
  }
}

class HeaderLookup {
  constructor(private readonly incoming: http.IncomingHttpHeaders) {}

  get(name: string): string | null {
    const value = this.incoming[name.toLowerCase()]
    if (value === undefined) return null
    return Array.isArray(value) ? value.join(', ') : value
  }
}
