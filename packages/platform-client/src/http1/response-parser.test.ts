import { describe, expect, it } from 'vitest'
import { type Http1Response, Http1ResponseParser, HttpParseError, MAX_BODY_BYTES } from './response-parser.js'

/** Feeds `text` to a fresh parser in pieces of `step` bytes; returns the response, or the parser for more. */
function parse(text: string | Buffer, method = 'GET', step = Number.POSITIVE_INFINITY) {
  const bytes = typeof text === 'string' ? Buffer.from(text, 'latin1') : text
  const parser = new Http1ResponseParser(method)
  let response: Http1Response | undefined
  for (let at = 0; at < bytes.length; at += Math.min(step, bytes.length)) {
    const piece = bytes.subarray(at, at + Math.min(step, bytes.length))
    const out = parser.push(piece)
    if (out) response = out
  }
  return { parser, response }
}

const BODY_FRAMES = {
  length: 'HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 11\r\n\r\n{"a":"b c"}',
  chunked:
    'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n4;ext=1\r\n{"a"\r\n7\r\n:"b c"}\r\n0\r\nX-Trailer: t\r\n\r\n',
  'chunked, no trailers':
    'HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\n\r\nB\r\n{"a":"b c"}\r\n0\r\n\r\n',
}

describe('Http1ResponseParser', () => {
  for (const [name, text] of Object.entries(BODY_FRAMES)) {
    it(`reads a body framed by ${name}, whole or a byte at a time`, () => {
      for (const step of [Number.POSITIVE_INFINITY, 1, 3]) {
        const { response } = parse(text, 'GET', step)
        expect(response?.status).toBe(200)
        expect(response?.body.toString()).toBe('{"a":"b c"}')
        expect(response?.reusable).toBe(!name.includes('gzip'))
      }
    })
  }

  it('lower-cases field names, joins repeats, trims values and unfolds obsolete line folding', () => {
    const { response } = parse(
      'HTTP/1.1 201 Created\r\nX-Seen: POST\r\nx-seen:  two \r\nX-Long: a\r\n  b\r\nContent-Length: 0\r\n\r\n',
    )
    expect(response?.status).toBe(201)
    expect(response?.headers['x-seen']).toBe('POST, two')
    expect(response?.headers['x-long']).toBe('a b')
    expect(response?.body.length).toBe(0)
  })

  it('skips interim 1xx answers and reads the final one', () => {
    const { response } = parse(
      'HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok',
    )
    expect(response?.status).toBe(200)
    expect(response?.headers.link).toBeUndefined()
    expect(response?.body.toString()).toBe('ok')
  })

  it('reads no body after HEAD, 204 and 304, whatever the fields say', () => {
    expect(parse('HTTP/1.1 200 OK\r\nContent-Length: 50\r\n\r\n', 'HEAD').response?.body.length).toBe(0)
    expect(parse('HTTP/1.1 204 No Content\r\nContent-Length: 50\r\n\r\n').response?.status).toBe(204)
    expect(parse('HTTP/1.1 304 Not Modified\r\n\r\n').response?.status).toBe(304)
  })

  it('reads a body without framing up to the end of the connection, and never reuses that connection', () => {
    const { parser, response } = parse('HTTP/1.1 200 OK\r\n\r\npart one, ')
    expect(response).toBeUndefined()
    parser.push(Buffer.from('part two'))
    const done = parser.end()
    expect(done.body.toString()).toBe('part one, part two')
    expect(done.reusable).toBe(false)
  })

  it('says when a connection may carry another exchange, and for how long', () => {
    const close = parse('HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 0\r\n\r\n').response
    expect(close?.reusable).toBe(false)
    const old = parse('HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n').response
    expect(old?.reusable).toBe(false)
    const oldKept = parse('HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nContent-Length: 0\r\n\r\n').response
    expect(oldKept?.reusable).toBe(true)
    const hinted = parse(
      'HTTP/1.1 200 OK\r\nKeep-Alive: timeout=5, max=100\r\nContent-Length: 0\r\n\r\n',
    ).response
    expect(hinted?.keepAliveMs).toBe(5000)
    const smuggled = parse(
      'HTTP/1.1 200 OK\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nok\r\n0\r\n\r\n',
    ).response
    expect(smuggled?.body.toString()).toBe('ok')
    expect(smuggled?.reusable).toBe(false)
    const extra = parse('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nokEXTRA').response
    expect(extra?.body.toString()).toBe('ok')
    expect(extra?.reusable).toBe(false)
  })

  it.each([
    ['a status line that is not HTTP/1.x', 'HTTP/2 200\r\n\r\n', 'status line'],
    ['a field without a colon', 'HTTP/1.1 200 OK\r\nbroken\r\n\r\n', 'header field'],
    ['two different lengths', 'HTTP/1.1 200 OK\r\nContent-Length: 1, 2\r\n\r\n', 'Content-Length'],
    ['a negative length', 'HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n', 'Content-Length'],
    [
      'a chunk size that is not hex',
      'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n',
      'hexadecimal',
    ],
    ['a chunk without its CRLF', 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nokXX', 'CRLF'],
    ['an unasked protocol switch', 'HTTP/1.1 101 Switching Protocols\r\n\r\n', 'switched protocols'],
    [
      'a body over the limit',
      `HTTP/1.1 200 OK\r\nContent-Length: ${MAX_BODY_BYTES + 1}\r\n\r\n`,
      'larger than',
    ],
  ])('refuses %s', (_name, text, message) => {
    expect(() => parse(text)).toThrow(HttpParseError)
    expect(() => parse(text)).toThrow(message)
  })

  it('refuses a header section that never ends within 64 KiB', () => {
    const parser = new Http1ResponseParser('GET')
    parser.push(Buffer.from('HTTP/1.1 200 OK\r\n'))
    expect(() => parser.push(Buffer.alloc(70 * 1024, 'a'))).toThrow('larger than 64 KiB')
  })

  it('tells an answer cut short from one that never started', () => {
    const never = new Http1ResponseParser('GET')
    expect(never.received).toBe(false)
    expect(() => never.end()).toThrow('without an answer')
    const { parser } = parse('HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc')
    expect(parser.received).toBe(true)
    expect(() => parser.end()).toThrow('in the middle of the answer')
  })

  it('refuses bytes after a complete answer', () => {
    const { parser } = parse('HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n')
    expect(() => parser.push(Buffer.from('HTTP/1.1 200 OK\r\n'))).toThrow('after the end')
  })

  it('keeps UTF-8 characters whole when their bytes arrive in different pieces', () => {
    const body = Buffer.from('{"text":"héllo ✓"}')
    const text = Buffer.concat([
      Buffer.from(`HTTP/1.1 200 OK\r\nContent-Length: ${body.length}\r\n\r\n`, 'latin1'),
      body,
    ])
    expect(parse(text, 'GET', 1).response?.body.toString('utf8')).toBe('{"text":"héllo ✓"}')
  })
})
