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

// One keep-alive pool per protocol for the whole process: every workspace a bridge serves on the same platform shares
// its connections, and a heartbeat every few seconds never pays for a new TCP (or TLS) connection.
const AGENTS = {
  'http:': new http.Agent({ keepAlive: true, scheduling: 'lifo' }),
  'https:': new https.Agent({ keepAlive: true, scheduling: 'lifo' }),
}

/**
 * A JSON or text exchange over node's own HTTP client with keep-alive agents: no fetch machinery to load at start (it
 * is a large share of a runtime's boot) and about half fetch's CPU per request, which is most of an idle bridge's work.
 * Multipart uploads and streamed downloads stay with fetch (see `PlatformHttp`).
 */
export function nodeTransport(
  url: string,
  init: TransportRequest & { body?: string | undefined },
): Promise<TransportResponse> {
  return nodeRequest(new URL(url), init, true)
}

/** A failure shaped as fetch's (`TypeError` with the system error as `cause`), so callers read one kind of error. */
function networkError(cause: unknown): TypeError {
  return Object.assign(new TypeError('fetch failed'), { cause })
}

function nodeRequest(
  url: URL,
  init: TransportRequest & { body?: string | undefined },
  mayRetry: boolean,
): Promise<TransportResponse> {
  const { signal } = init
  if (signal.aborted) return Promise.reject(signal.reason)
  const secure = url.protocol === 'https:'
  const client = secure ? https : http
  return new Promise<TransportResponse>((resolve, reject) => {
    const req = client.request(url, {
      method: init.method,
      headers:
        init.body === undefined
          ? init.headers
          : { ...init.headers, 'content-length': Buffer.byteLength(init.body) },
      agent: secure ? AGENTS['https:'] : AGENTS['http:'],
    })
    let answered = false
    const onAbort = () => req.destroy(signal.reason)
    signal.addEventListener('abort', onAbort, { once: true })
    const settle = () => signal.removeEventListener('abort', onAbort)
    req.on('response', (res) => {
      answered = true
      res.setEncoding('utf8')
      let text = ''
      res.on('data', (chunk: string) => {
        text += chunk
      })
      res.on('end', () => {
        settle()
        resolve(textResponse(res.statusCode ?? 0, res.headers, text))
      })
      res.on('error', (err) => {
        settle()
        reject(signal.aborted ? signal.reason : networkError(err))
      })
    })
    req.on('error', (err: NodeJS.ErrnoException) => {
      settle()
      if (signal.aborted) return reject(signal.reason)
      // A pooled connection the server closed while idle fails before anything was sent back: send once more on a
      // fresh connection (node's documented way to handle the keep-alive race).
      if (mayRetry && !answered && req.reusedSocket && (err.code === 'ECONNRESET' || err.code === 'EPIPE'))
        return resolve(nodeRequest(url, init, false))
      reject(networkError(err))
    })
    req.end(init.body)
  })
}

function textResponse(status: number, headers: http.IncomingHttpHeaders, text: string): TransportResponse {
  return {
    status,
    headers: {
      get(name) {
        const value = headers[name.toLowerCase()]
        if (value === undefined) return null
        return Array.isArray(value) ? value.join(', ') : value
      },
    },
    text: () => Promise.resolve(text),
    body: null,
  }
}
