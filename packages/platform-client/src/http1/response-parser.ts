/**
 * An HTTP/1.1 response read from the bytes of one connection (RFC 9112): status line, header fields, and a body framed
 * by Content-Length, chunked transfer coding or the end of the connection. Interim 1xx answers are skipped. It knows
 * nothing of sockets, so every framing rule is tested on plain bytes.
 */

/** A whole response: status, lower-cased header fields (repeats joined with ", "), body bytes. */
export interface Http1Response {
  status: number
  headers: Record<string, string>
  body: Buffer
  /** The connection may carry another exchange (HTTP/1.1, no `Connection: close`, body framed by length). */
  reusable: boolean
  /** The server's `Keep-Alive: timeout=N` in ms, when it sent one. */
  keepAliveMs: number | undefined
}

/** The bytes are not an HTTP/1.1 response, or exceed a limit: the connection cannot be trusted any more. */
export class HttpParseError extends Error {
  readonly code = 'HPE_INVALID_RESPONSE'

  constructor(what: string) {
    super(`malformed HTTP response from the platform: ${what}`)
    this.name = 'HttpParseError'
  }
}

const HEAD_END = Buffer.from('\r\n\r\n')
const LINE_END = Buffer.from('\r\n')
const EMPTY = Buffer.alloc(0)
/** Status line and header fields together; node's own client allows 16 KiB. */
const MAX_HEAD_BYTES = 64 * 1024
/** A chunk-size line with its extensions. */
const MAX_CHUNK_LINE_BYTES = 4 * 1024
/** The largest body a platform answer may have (a full activity page is far below it). */
export const MAX_BODY_BYTES = 64 * 1024 * 1024

const STATUS_LINE = /^HTTP\/1\.([01]) (\d{3})(?: [^\r\n]*)?$/
const FIELD_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/
const HEX = /^[0-9A-Fa-f]{1,15}$/
const DIGITS = /^\d{1,15}$/

type Phase =
  | 'head'
  | 'length'
  | 'chunk-size'
  | 'chunk-data'
  | 'chunk-end'
  | 'trailers'
  | 'until-close'
  | 'done'

export class Http1ResponseParser {
  #pending: Buffer = EMPTY
  #phase: Phase = 'head'
  #received = false
  #status = 0
  #minor = 1
  #headers: Record<string, string> = Object.create(null)
  #chunks: Buffer[] = []
  #bodyBytes = 0
  #remaining = 0
  #reusable = true

  /** @param method the request's method: the answer to a HEAD has no body whatever its fields say. */
  constructor(private readonly method: string) {}

  /** Whether any byte of an answer arrived (a connection that closes before one may be retried). */
  get received(): boolean {
    return this.#received
  }

  /**
   * Takes the next bytes of the connection; returns the response once it is complete. Bytes after it (the server
   * answered more than was asked) make it not reusable.
   */
  push(bytes: Buffer): Http1Response | undefined {
    if (bytes.length > 0) this.#received = true
    if (this.#finished()) {
      if (bytes.length > 0) throw new HttpParseError('data after the end of the response')
      return undefined
    }
    this.#pending = this.#pending.length === 0 ? bytes : Buffer.concat([this.#pending, bytes])
    while (!this.#finished()) {
      if (!this.#step()) return undefined
    }
    if (this.#pending.length > 0) this.#reusable = false
    return this.#result()
  }

  /** The server closed the connection: completes a body that runs to the end, otherwise the answer is cut short. */
  end(): Http1Response {
    if (this.#phase === 'until-close') {
      this.#phase = 'done'
      return this.#result()
    }
    throw new HttpParseError(
      this.#received
        ? 'the connection closed in the middle of the answer'
        : 'the connection closed without an answer',
    )
  }

  #finished(): boolean {
    return this.#phase === 'done'
  }

  /** One step of the current phase; false when it needs more bytes. */
  #step(): boolean {
    switch (this.#phase) {
      case 'head':
        return this.#readHead()
      case 'length':
        this.#takeBody(Math.min(this.#remaining, this.#pending.length))
        if (this.#remaining === 0) this.#phase = 'done'
        return this.#remaining === 0
      case 'chunk-size':
        return this.#readChunkSize()
      case 'chunk-data':
        this.#takeBody(Math.min(this.#remaining, this.#pending.length))
        if (this.#remaining > 0) return false
        this.#phase = 'chunk-end'
        return true
      case 'chunk-end':
        if (this.#pending.length < 2) return false
        if (this.#pending[0] !== 0x0d || this.#pending[1] !== 0x0a)
          throw new HttpParseError('a chunk does not end with CRLF')
        this.#pending = this.#pending.subarray(2)
        this.#phase = 'chunk-size'
        return true
      case 'trailers':
        return this.#skipTrailers()
      case 'until-close':
        this.#takeBody(this.#pending.length)
        return false
      default:
        return false
    }
  }

  /** Where `marker` starts in the pending bytes, or -1 for "not yet"; more than `max` bytes before it is refused. */
  #find(marker: Buffer, max: number, what: string): number {
    const end = this.#pending.indexOf(marker)
    if (end > max || (end < 0 && this.#pending.length > max)) throw new HttpParseError(what)
    return end
  }

  #readHead(): boolean {
    const end = this.#find(HEAD_END, MAX_HEAD_BYTES, 'the header section is larger than 64 KiB')
    if (end < 0) return false
    const lines = this.#pending.toString('latin1', 0, end).split('\r\n')
    this.#pending = this.#pending.subarray(end + 4)
    const statusLine = STATUS_LINE.exec(lines[0] ?? '')
    if (!statusLine) throw new HttpParseError('the status line is not HTTP/1.x')
    const status = Number(statusLine[2])
    const headers: Record<string, string> = Object.create(null)
    let last: string | undefined
    for (let i = 1; i < lines.length; i++) {
      const line = lines[i] as string
      if (line.startsWith(' ') || line.startsWith('\t')) {
        // An obsolete folded line continues the field before it.
        if (last === undefined) throw new HttpParseError('the header section starts with a folded line')
        headers[last] = `${headers[last]} ${line.trim()}`
        continue
      }
      // Split at the first colon rather than with a regex: a match array per field is most of what a head allocates.
      const colon = line.indexOf(':')
      const rawName = colon > 0 ? line.slice(0, colon) : ''
      if (!FIELD_NAME.test(rawName)) throw new HttpParseError('a header field is not "name: value"')
      const name = rawName.toLowerCase()
      const value = line.slice(colon + 1).trim()
      headers[name] = headers[name] === undefined ? value : `${headers[name]}, ${value}`
      last = name
    }
    if (status < 200) {
      // 100 Continue, 103 Early Hints …: an interim answer; the real one follows. 101 would switch protocols.
      if (status === 101) throw new HttpParseError('the server switched protocols unasked')
      return true
    }
    this.#status = status
    this.#minor = Number(statusLine[1])
    this.#headers = headers
    this.#frameBody()
    return true
  }

  /** How the body is delimited (RFC 9112 §6.3). */
  #frameBody(): void {
    const connection = tokens(this.#headers.connection)
    this.#reusable = this.#minor === 1 ? !connection.includes('close') : connection.includes('keep-alive')
    if (this.method === 'HEAD' || this.#status === 204 || this.#status === 304) {
      this.#phase = 'done'
      return
    }
    const coding = this.#headers['transfer-encoding']
    if (coding !== undefined) {
      // Both framings at once is how requests get smuggled: read this one, never reuse the connection.
      if (this.#headers['content-length'] !== undefined) this.#reusable = false
      if (tokens(coding).at(-1) === 'chunked') {
        this.#phase = 'chunk-size'
      } else {
        this.#reusable = false
        this.#phase = 'until-close'
      }
      return
    }
    const length = this.#headers['content-length']
    if (length !== undefined) {
      const values = new Set(length.split(',').map((v) => v.trim()))
      const [only] = values
      if (values.size !== 1 || only === undefined || !DIGITS.test(only)) {
        throw new HttpParseError('Content-Length is not one number')
      }
      this.#remaining = Number(only)
      if (this.#remaining > MAX_BODY_BYTES) throw tooLarge()
      this.#phase = this.#remaining === 0 ? 'done' : 'length'
      return
    }
    this.#reusable = false
    this.#phase = 'until-close'
  }

  #readChunkSize(): boolean {
    const end = this.#find(LINE_END, MAX_CHUNK_LINE_BYTES, 'a chunk-size line is too long')
    if (end < 0) return false
    const line = this.#pending.toString('latin1', 0, end)
    this.#pending = this.#pending.subarray(end + 2)
    const size = (line.split(';', 1)[0] as string).trim()
    if (!HEX.test(size)) throw new HttpParseError('a chunk size is not hexadecimal')
    this.#remaining = Number.parseInt(size, 16)
    if (this.#bodyBytes + this.#remaining > MAX_BODY_BYTES) throw tooLarge()
    this.#phase = this.#remaining === 0 ? 'trailers' : 'chunk-data'
    return true
  }

  /** Trailer fields after the last chunk are read past, up to the empty line. */
  #skipTrailers(): boolean {
    if (this.#pending.length >= 2 && this.#pending[0] === 0x0d && this.#pending[1] === 0x0a) {
      this.#pending = this.#pending.subarray(2)
      this.#phase = 'done'
      return true
    }
    const end = this.#find(HEAD_END, MAX_HEAD_BYTES, 'the trailer section is larger than 64 KiB')
    if (end < 0) return false
    this.#pending = this.#pending.subarray(end + 4)
    this.#phase = 'done'
    return true
  }

  #takeBody(count: number): void {
    if (count === 0) return
    this.#bodyBytes += count
    if (this.#bodyBytes > MAX_BODY_BYTES) throw tooLarge()
    this.#chunks.push(this.#pending.subarray(0, count))
    this.#pending = this.#pending.subarray(count)
    if (this.#phase === 'length' || this.#phase === 'chunk-data') this.#remaining -= count
  }

  #result(): Http1Response {
    const chunks = this.#chunks
    const body = chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, this.#bodyBytes)
    const hint = /(?:^|[,;\s])timeout=(\d+)/i.exec(this.#headers['keep-alive'] ?? '')
    return {
      status: this.#status,
      headers: this.#headers,
      body,
      reusable: this.#reusable,
      keepAliveMs: hint ? Number(hint[1]) * 1000 : undefined,
    }
  }
}

function tokens(value: string | undefined): string[] {
  if (value === undefined) return []
  return value.split(',').map((t) => t.trim().toLowerCase())
}

function tooLarge(): HttpParseError {
  return new HttpParseError(`the body is larger than ${MAX_BODY_BYTES / (1024 * 1024)} MiB`)
}
