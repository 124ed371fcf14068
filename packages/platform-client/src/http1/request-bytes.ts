/**
 * The bytes of one HTTP/1.1 request: request line, `Host`, the caller's fields, `Content-Length` and the body, built as
 * a single buffer so it leaves in one write. Every piece is checked first, the way node's own client checks them: a
 * value with a line break would let a token or an id inject fields.
 */

const METHOD = /^[A-Z]+$/
const PATH = /^\/[\x21-\x7e\x80-\xff]*$/
const FIELD_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/
const BAD_VALUE = /[^\t\x20-\x7e\x80-\xff]/
/** Fields this client writes itself from the exchange, whatever the caller passed. */
const OWN_FIELDS = new Set(['host', 'content-length', 'connection', 'transfer-encoding'])
const WITH_BODY = new Set(['POST', 'PUT', 'PATCH'])

/** A request the client refuses to put on the wire; the message names the part, never its value. */
export class InvalidRequestError extends TypeError {
  readonly code = 'ERR_INVALID_CHAR'
}

export function requestBytes(
  hostField: string,
  method: string,
  path: string,
  headers: Record<string, string>,
  body: string | undefined,
): Buffer {
  if (!METHOD.test(method)) throw new InvalidRequestError(`invalid HTTP method "${method}"`)
  if (!PATH.test(path))
    throw new InvalidRequestError('the request path contains characters that must be escaped')
  let head = `${method} ${path} HTTP/1.1\r\nHost: ${hostField}\r\n`
  for (const name in headers) {
    const value = headers[name] as string
    if (!FIELD_NAME.test(name)) throw new InvalidRequestError(`invalid header name ["${name}"]`)
    if (BAD_VALUE.test(value))
      throw new InvalidRequestError(`Invalid character in header content ["${name}"]`)
    if (OWN_FIELDS.has(name.toLowerCase())) continue
    head += `${name}: ${value}\r\n`
  }
  const bodyBytes = body === undefined ? 0 : Buffer.byteLength(body)
  if (body !== undefined || WITH_BODY.has(method)) head += `Content-Length: ${bodyBytes}\r\n`
  head += 'Connection: keep-alive\r\n\r\n'
  // Header values may carry latin1 bytes (as node writes them); the body is UTF-8.
  const out = Buffer.allocUnsafe(head.length + bodyBytes)
  out.write(head, 0, 'latin1')
  if (body !== undefined) out.write(body, head.length, 'utf8')
  return out
}

/** `Host` as node's client writes it: the port only when it is not the scheme's default, IPv6 in brackets. */
export function hostField(hostname: string, port: string, secure: boolean): string {
  const host = hostname.includes(':') ? `[${hostname}]` : hostname
  const defaultPort = secure ? '443' : '80'
  return port === '' || port === defaultPort ? host : `${host}:${port}`
}
