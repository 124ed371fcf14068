import type { ServerResponse } from 'node:http'

/**
 * What a route answers, before it is a `Response`: the JSON-RPC routes answer plain JSON almost always, and the node
 * listener writes that straight to node's response without building a `Response` (or its `Headers`) at all. SSE
 * streams are whole `Response`s.
 */
export interface PlainAnswer {
  readonly status: number
  readonly headers: Readonly<Record<string, string>>
  readonly body: string
}

export type HttpAnswer = PlainAnswer | Response

export const JSON_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  'content-type': 'application/json',
})

/** A JSON answer; extra headers (`retry-after`, `www-authenticate`, `connection`) are added to the content type. */
export function jsonAnswer(
  body: string,
  status = 200,
  extra?: Readonly<Record<string, string>>,
): PlainAnswer {
  return { status, headers: extra === undefined ? JSON_HEADERS : { ...JSON_HEADERS, ...extra }, body }
}

/**
 * A plain answer, told apart by its string body (a `Response`'s body is a stream or null). Cheaper than `instanceof
 * Response`, which @hono/node-server's global Response makes a two-step check on every request.
 */
function isPlain(answer: HttpAnswer): answer is PlainAnswer {
  return typeof answer.body === 'string'
}

/** The answer as a fetch `Response` (for `app.fetch` and hono routes). */
export function toResponse(answer: HttpAnswer): Response {
  if (!isPlain(answer)) return answer
  return new Response(answer.body, { status: answer.status, headers: answer.headers })
}

/** Writes an answer to node's response: plain ones in one `end`, streams chunk by chunk until either side ends. */
export function writeAnswer(res: ServerResponse, answer: HttpAnswer): void {
  if (isPlain(answer)) {
    const headers: Record<string, string | number> = { ...answer.headers }
    headers['content-length'] = Buffer.byteLength(answer.body)
    res.writeHead(answer.status, headers)
    res.end(answer.body)
    return
  }
  res.writeHead(answer.status, Object.fromEntries(answer.headers))
  if (answer.body === null) {
    res.end()
    return
  }
  void pipeStream(res, answer.body.getReader())
}

async function pipeStream(
  res: ServerResponse,
  reader: ReadableStreamDefaultReader<Uint8Array>,
): Promise<void> {
  // The client went away: cancelling the reader runs the stream's own cleanup (SSE subscriptions, keep-alives).
  const stop = () => void reader.cancel().catch(() => {})
  res.once('close', stop)
  try {
    for (;;) {
      const { done, value } = await reader.read()
      if (done || res.destroyed) break
      // Each SSE event is flushed as it comes; a slow client is waited for rather than buffered without bound.
      if (!res.write(value))
        await new Promise<void>((resolve) => res.once('drain', resolve).once('close', resolve))
    }
  } catch {
    // The stream failed or was cancelled: end the response either way.
  } finally {
    res.off('close', stop)
    if (!res.destroyed) res.end()
  }
}
