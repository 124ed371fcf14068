import { request } from 'node:http'
import { settledAgainDuring } from '@molecule/test-support'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Running, sendBody, start, tick } from './helpers.js'

// The listener answers the JSON-RPC endpoint from node's request and response directly; `app.fetch` answers it through
// hono. Both must say exactly the same thing.

let srv: Running
beforeAll(async () => {
  srv = await start(undefined, { bodyLimitBytes: 64 })
})
afterAll(() => srv.close())

interface Seen {
  status: number
  headers: Record<string, string>
  body: string
}

const COMPARED_HEADERS = ['content-type', 'content-length', 'retry-after', 'www-authenticate', 'connection']

function pick(headers: Record<string, string | undefined>): Record<string, string> {
  const out: Record<string, string> = {}
  for (const name of COMPARED_HEADERS) {
    const value = headers[name]
    if (value !== undefined && !(name === 'connection' && value === 'keep-alive')) out[name] = value
  }
  return out
}

function overHttp(
  path: string,
  headers: Record<string, string>,
  body: string,
  base = srv.url,
): Promise<Seen> {
  return new Promise((resolve, reject) => {
    const req = request(`${base}${path}`, { method: 'POST', headers }, (res) => {
      let text = ''
      res.setEncoding('utf8')
      res.on('data', (c) => (text += c))
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          headers: pick(res.headers as Record<string, string>),
          body: text,
        }),
      )
    })
    req.on('error', reject)
    req.end(body)
  })
}

async function throughFetch(path: string, headers: Record<string, string>, body: string): Promise<Seen> {
  const res = await srv.server.app.fetch(new Request(`${srv.url}${path}`, { method: 'POST', headers, body }))
  const text = await res.text()
  const headerBag = Object.fromEntries(res.headers)
  headerBag['content-length'] ??= String(Buffer.byteLength(text))
  return { status: res.status, headers: pick(headerBag), body: text }
}

/** Message and task ids are fresh per call: compare the shape around them. */
function withoutIds(seen: Seen): Seen {
  const body = seen.body.replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, '<id>')
  const { 'content-length': _length, ...headers } = seen.headers
  return { ...seen, headers, body }
}

const JSON_CT = { 'content-type': 'application/json', host: '127.0.0.1' }

describe('the node fast path answers the JSON-RPC endpoint exactly as app.fetch does', () => {
  const cases: [string, string, Record<string, string>, string][] = [
    ['a message/send', '/', JSON_CT, JSON.stringify(sendBody('hi'))],
    ['on /a2a with a version query', '/a2a?A2A-Version=0.3', JSON_CT, JSON.stringify(sendBody('hi'))],
    ['an unsupported version', '/?A2A-Version=9.9', JSON_CT, JSON.stringify(sendBody('hi'))],
    ['invalid JSON', '/', JSON_CT, '{"jsonrpc":'],
    ['a batch', '/', JSON_CT, '[]'],
    ['an unknown method', '/', JSON_CT, '{"jsonrpc":"2.0","id":7,"method":"nope"}'],
    ['a body over the limit', '/', JSON_CT, JSON.stringify(sendBody('x'.repeat(100)))],
    ['text/plain', '/', { 'content-type': 'text/plain', host: '127.0.0.1' }, '{}'],
    ['a foreign Host', '/', { 'content-type': 'application/json', host: 'evil.example' }, '{}'],
    ['a foreign Origin', '/', { ...JSON_CT, origin: 'https://evil.example' }, '{}'],
  ]
  for (const [name, path, headers, body] of cases) {
    it(name, async () => {
      const http = await overHttp(
        path,
        { ...headers, 'content-length': String(Buffer.byteLength(body)) },
        body,
      )
      const fetched = await throughFetch(path, headers, body)
      expect(withoutIds(http)).toEqual(withoutIds(fetched))
      expect(http.headers['content-length']).toBe(String(Buffer.byteLength(http.body)))
    })
  }

  it('a chunked body over the limit is refused without reading it all, and the connection closes', async () => {
    const seen = await new Promise<Seen>((resolve, reject) => {
      const req = request(`${srv.url}/`, { method: 'POST', headers: JSON_CT }, (res) => {
        let text = ''
        res.on('data', (c) => (text += c))
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, headers: pick(res.headers as never), body: text }),
        )
      })
      req.on('error', reject)
      req.write('{"jsonrpc":"2.0","id":1,"method":"message/send","params":')
      req.write('x'.repeat(200))
      req.end()
    })
    expect(seen.status).toBe(413)
    expect(seen.headers.connection).toBe('close')
    expect(JSON.parse(seen.body).error.code).toBe(-32600)
  })
})

describe('routes other than the endpoint', () => {
  it('on a fresh server, the first requests arriving together are all answered while the HTTP adapter loads', async () => {
    const fresh = await start()
    try {
      const card = () => fetch(`${fresh.url}/.well-known/agent-card.json`).then((r) => r.status)
      // A body sent before the adapter is there must not be lost: it is read (and refused) as usual.
      const unknown = () =>
        fetch(`${fresh.url}/nowhere`, { method: 'POST', headers: JSON_CT, body: '{"x":1}' }).then(
          async (r) => ({
            status: r.status,
            body: await r.json(),
          }),
        )
      const [a, b, c] = await Promise.all([card(), card(), unknown()])
      expect([a, b]).toEqual([200, 200])
      expect(c).toEqual({ status: 404, body: { error: 'not found' } })
    } finally {
      await fresh.close()
    }
  })
})

describe('reading a request body', () => {
  it('settles once per request: a promise resolved again costs V8 a runtime call on every request', async () => {
    const roomy = await start(undefined, { bodyLimitBytes: 256 })
    const settledAgain = await settledAgainDuring(async () => {
      const body = JSON.stringify(sendBody('hi'))
      const headers = { ...JSON_CT, 'content-length': String(Buffer.byteLength(body)) }
      for (let i = 0; i < 3; i++) expect((await overHttp('/', headers, body, roomy.url)).status).toBe(200)
      // Counted while reading (no length declared): refused once past the limit.
      const refused = await overHttp('/', JSON_CT, JSON.stringify(sendBody('x'.repeat(300))), roomy.url)
      expect(refused.status).toBe(413)
      await tick(20)
    }).finally(() => roomy.close())
    expect(settledAgain).toEqual([])
  })
})
