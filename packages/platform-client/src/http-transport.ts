import { type Http1Origin, Http1Pool } from './http1/connection-pool.js'

export { TransportTimeout } from './transport-errors.js'

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
 * Connection pools for the whole process, one per platform origin, shared by every workspace a bridge serves. Short
 * exchanges (heartbeats, inbox polls, lookups) share a few connections: a hundred workspaces polling in the same instant
 * queue on them for a few milliseconds rather than opening a hundred connections that the platform then closes as idle.
 * Long calls (A2A sends that wait minutes for an agent) get pools of their own, so they can never hold up a heartbeat.
 */
export const SHORT_POOL_SOCKETS = 8
export const LONG_CALL_MS = 30_000
const SHORT_POOLS = new Map<string, Http1Pool>()
const LONG_POOLS = new Map<string, Http1Pool>()
/** Each client's origin object to its pools, so a request finds them without building a key. */
const POOLS_OF = new WeakMap<Http1Origin, { short: Http1Pool; long: Http1Pool }>()

function poolsOf(origin: Http1Origin): { short: Http1Pool; long: Http1Pool } {
  let pools = POOLS_OF.get(origin)
  if (pools === undefined) {
    const key = `${origin.secure ? 'https' : 'http'}://${origin.hostname}:${origin.port}`
    pools = {
      short: shared(SHORT_POOLS, key, () => new Http1Pool(origin, SHORT_POOL_SOCKETS)),
      long: shared(LONG_POOLS, key, () => new Http1Pool(origin, Number.POSITIVE_INFINITY)),
    }
    POOLS_OF.set(origin, pools)
  }
  return pools
}

function shared(pools: Map<string, Http1Pool>, key: string, create: () => Http1Pool): Http1Pool {
  let pool = pools.get(key)
  if (pool === undefined) {
    pool = create()
    pools.set(key, pool)
  }
  return pool
}

export interface NodeExchange {
  method: string
  headers: Record<string, string>
  body?: string | undefined
}

/**
 * A JSON or text exchange over the process's own HTTP/1.1 connections (`Http1Pool`): no fetch machinery to load at
 * start (it is a large share of a runtime's boot) and a fraction of the CPU per request of fetch or node's `http`
 * client, which is most of an idle bridge's work. Its own timer bounds the whole exchange, queueing included
 * (rejecting with `TransportTimeout`), and `signal` cancels it (rejecting with the signal's reason). Network failures
 * reject as fetch's do: a `TypeError` whose `cause` is the system error. Multipart uploads and streamed downloads stay
 * with fetch (see `PlatformHttp`).
 *
 * @param path path and query, e.g. `/workspaces/<id>/activity?type=a2a_receive`
 */
export async function nodeTransport(
  origin: Http1Origin,
  path: string,
  exchange: NodeExchange,
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<TransportResponse> {
  const pools = poolsOf(origin)
  const pool = timeoutMs > LONG_CALL_MS ? pools.long : pools.short
  const response = await pool.request(
    { method: exchange.method, path, headers: exchange.headers, body: exchange.body },
    timeoutMs,
    signal,
  )
  return new TextResponse(response.status, response.headers, response.body.toString('utf8'))
}

/** A whole text answer of the node transport; prototype methods, so a response allocates no closures. */
class TextResponse implements TransportResponse {
  readonly body = null
  readonly headers: { get(name: string): string | null }

  constructor(
    readonly status: number,
    fields: Record<string, string>,
    private readonly bodyText: string,
  ) {
    this.headers = new HeaderLookup(fields)
  }

  text(): Promise<string> {
    return Promise.resolve(this.bodyText)
  }
}

/** Header fields by name, as fetch's `Headers.get` reads them (repeated fields arrive joined with ", "). */
class HeaderLookup {
  constructor(private readonly fields: Record<string, string>) {}

  get(name: string): string | null {
    return this.fields[name.toLowerCase()] ?? null
  }
}
