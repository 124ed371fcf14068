import type { IncomingMessage } from 'node:http'
import { readWithin } from '@molecule/core'

export const TOO_LARGE = Symbol('too large')

/**
 * A request to the JSON-RPC endpoint, whichever server delivered it: node's `IncomingMessage` (the listener's fast
 * path, no `Request` object built) or a fetch `Request` (`app.fetch`, hono).
 */
export interface RpcRequest {
  /** A header by its lower-case name; several values joined with `, `. */
  header(name: string): string | undefined
  /** Path and query, e.g. `/a2a?A2A-Version=1.0`. */
  readonly url: string
  /** The body as text, or TOO_LARGE beyond `limit` bytes (declared or counted while reading). */
  readBody(limit: number): Promise<string | typeof TOO_LARGE>
}

type NodeHeaders = IncomingMessage['headers']

function headerOf(headers: NodeHeaders, name: string): string | undefined {
  const v = headers[name]
  return Array.isArray(v) ? v.join(', ') : v
}

/** An `IncomingMessage` as an RpcRequest. */
export function nodeRpcRequest(incoming: IncomingMessage): RpcRequest {
  const { headers } = incoming
  return {
    header: (name) => headerOf(headers, name),
    url: incoming.url ?? '/',
    readBody: (limit) => readNodeBody(incoming, limit),
  }
}

function readNodeBody(incoming: IncomingMessage, limit: number): Promise<string | typeof TOO_LARGE> {
  const declared = incoming.headers['content-length']
  if (declared !== undefined && Number(declared) > limit) return Promise.resolve(TOO_LARGE)
  return new Promise((resolve, reject) => {
    let first: Buffer | undefined
    let rest: Buffer[] | undefined
    let size = 0
    // Settled once, by hand: resolving a settled promise is not free in V8 (a runtime call into node's
    // multiple-resolves hook, ≈ 0.5 µs), and 'close' follows 'end' on every request.
    let settled = false
    const settle = (body: string | typeof TOO_LARGE) => {
      if (settled) return
      settled = true
      resolve(body)
    }
    const onData = (chunk: Buffer) => {
      size += chunk.length
      if (size > limit) {
        // Stop buffering; the answer closes the connection, so the unread rest does not matter.
        incoming.off('data', onData)
        incoming.pause()
        settle(TOO_LARGE)
        return
      }
      if (first === undefined) first = chunk
      else {
        rest ??= [first]
        rest.push(chunk)
      }
    }
    // `on`, not `once`: each event comes at most once per request, and `once` would wrap and later unhook each
    // listener on every request.
    incoming.on('data', onData)
    incoming.on('end', () => {
      if (settled) return
      settle(rest !== undefined ? Buffer.concat(rest).toString('utf8') : (first?.toString('utf8') ?? ''))
    })
    incoming.on('error', (err) => {
      if (settled) return
      settled = true
      reject(err)
    })
    // Aborted mid-body: nobody will read the answer; settle so nothing waits forever.
    incoming.on('close', () => settle(TOO_LARGE))
  })
}

/** Node's parsed headers under @hono/node-server (touching `Request.headers` would build a whole Headers object). */
function nodeHeadersOf(env: unknown): NodeHeaders | undefined {
  return (env as { incoming?: { headers?: NodeHeaders } } | undefined)?.incoming?.headers
}

/** A fetch `Request` (and the hono env it came with, when any) as an RpcRequest. */
export function fetchRpcRequest(req: Request, env?: unknown): RpcRequest {
  const incoming = nodeHeadersOf(env)
  const header =
    incoming === undefined
      ? (name: string) => req.headers.get(name) ?? undefined
      : (name: string) => headerOf(incoming, name)
  const path = req.url.slice(req.url.indexOf('/', req.url.indexOf('//') + 2))
  return { header, url: path, readBody: (limit) => readFetchBody(req, header('content-length'), limit) }
}

async function readFetchBody(
  req: Request,
  declared: string | undefined,
  limit: number,
): Promise<string | typeof TOO_LARGE> {
  if (declared !== undefined) return Number(declared) > limit ? TOO_LARGE : req.text()
  // No length (chunked): count while reading so a huge body is refused without buffering it.
  if (req.body === null) return ''
  const chunks = await readWithin(req.body, limit)
  return chunks === undefined ? TOO_LARGE : Buffer.concat(chunks).toString('utf8')
}

/** The `A2A-Version` query parameter (v1.0 clients may send it instead of the header). */
export function versionQuery(url: string): string | undefined {
  const q = url.indexOf('?')
  if (q < 0) return undefined
  return new URLSearchParams(url.slice(q + 1)).get('A2A-Version') ?? undefined
}
