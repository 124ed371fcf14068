// Reading requests as cheaply as node allows: headers from node's parsed IncomingMessage, bodies
// without an extra promise when their length is declared.

export type NodeHeaders = Record<string, string | string[] | undefined>

/**
 * Reads a request header from node's already-parsed IncomingMessage when running under
 * @hono/node-server (touching `Request.headers` there builds a whole Headers object per request),
 * else from the Request.
 */
export function header(req: Request, incoming: NodeHeaders | undefined, name: string): string | undefined {
  if (incoming === undefined) return req.headers.get(name) ?? undefined
  const v = incoming[name]
  return Array.isArray(v) ? v.join(', ') : v
}

/** Node's parsed headers from the hono env of @hono/node-server; undefined elsewhere. */
export function nodeHeaders(env: unknown): NodeHeaders | undefined {
  return (env as { incoming?: { headers?: NodeHeaders } } | undefined)?.incoming?.headers
}

export const TOO_LARGE = Symbol('too large')

/** The body as text, or TOO_LARGE when it exceeds `limit` bytes (declared or counted while reading). */
export async function readBody(
  req: Request,
  incoming: NodeHeaders | undefined,
  limit: number,
): Promise<string | typeof TOO_LARGE> {
  const declared = header(req, incoming, 'content-length')
  if (declared !== undefined) {
    if (Number(declared) > limit) return TOO_LARGE
    return req.text()
  }
  // No length (chunked): count while reading so a huge body is refused without buffering it.
  if (req.body === null) return ''
  const reader = req.body.getReader()
  const chunks: Uint8Array[] = []
  let size = 0
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    size += value.byteLength
    if (size > limit) {
      await reader.cancel().catch(() => {})
      return TOO_LARGE
    }
    chunks.push(value)
  }
  return Buffer.concat(chunks).toString('utf8')
}

/** The `?A2A-Version=` query parameter (v1.0 clients may send it instead of the header). */
export function versionQuery(url: string): string | undefined {
  if (!url.includes('?')) return undefined
  return new URL(url).searchParams.get('A2A-Version') ?? undefined
}
