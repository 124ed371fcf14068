import { request } from 'node:http'
import { connect } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Json, type Running, sendBody, start } from './helpers.js'

// Real HTTP requests to 127.0.0.1 with the headers a web page (or a DNS-rebinding attack) would send.

interface Answer {
  status: number
  headers: Record<string, string | string[] | undefined>
  json: Json
}

function send(
  srv: Running,
  path: string,
  {
    method = 'POST',
    headers = {},
    body,
  }: { method?: string; headers?: Record<string, string>; body?: string },
): Promise<Answer> {
  const { port } = new URL(srv.url)
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method, headers }, (res) => {
      let text = ''
      res.setEncoding('utf8')
      res.on('data', (c: string) => (text += c))
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          json: text ? JSON.parse(text) : undefined,
        }),
      )
    })
    req.on('error', reject)
    req.end(body)
  })
}

const JSON_TYPE = { 'content-type': 'application/json' }
const body = JSON.stringify(sendBody('hi'))

let srv: Running
beforeAll(async () => {
  srv = await start(undefined, {
    allowedOrigins: ['https://console.example'],
    allowedHosts: ['agent.internal'],
    transcriptToken: () => 'tt',
  })
})
afterAll(() => srv.close())

describe('Content-Type of JSON-RPC POSTs', () => {
  it.each([
    'text/plain',
    'text/plain;charset=UTF-8',
    'application/x-www-form-urlencoded',
    'multipart/form-data; boundary=x',
  ])('%s is refused with 415 and a JSON-RPC error naming Content-Type', async (type) => {
    for (const path of ['/', '/a2a']) {
      const answer = await send(srv, path, { headers: { 'content-type': type }, body })
      expect(answer.status).toBe(415)
      expect(answer.json).toMatchObject({ jsonrpc: '2.0', id: null, error: { code: -32600 } })
      expect(answer.json.error.message).toContain('Content-Type must be application/json')
    }
  })

  it('a POST without Content-Type is refused too', async () => {
    expect((await send(srv, '/', { body })).status).toBe(415)
  })

  it.each([
    'application/json',
    'application/json; charset=utf-8',
    'Application/JSON',
    'application/jsonrpc+json',
  ])('%s is served', async (type) => {
    const answer = await send(srv, '/', { headers: { 'content-type': type }, body })
    expect(answer.status).toBe(200)
    expect(answer.json.result.parts[0].text).toBe('echo: hi')
  })
})

describe('Origin', () => {
  it('a foreign Origin is refused with 403 on every route', async () => {
    const origin = { origin: 'https://evil.example' }
    const rpc = await send(srv, '/', { headers: { ...JSON_TYPE, ...origin }, body })
    expect(rpc.status).toBe(403)
    expect(rpc.json.error).toMatchObject({
      code: -32600,
      message: expect.stringContaining('https://evil.example'),
    })
    for (const path of ['/.well-known/agent-card.json', '/health']) {
      const answer = await send(srv, path, { method: 'GET', headers: origin })
      expect(answer.status).toBe(403)
      expect(answer.json.error).toContain('allowedOrigins')
    }
    expect((await send(srv, '/', { headers: { ...JSON_TYPE, origin: 'null' }, body })).status).toBe(403)
  })

  it('an allowed Origin, and no Origin (server to server), are served', async () => {
    const allowed = await send(srv, '/', {
      headers: { ...JSON_TYPE, origin: 'https://console.example' },
      body,
    })
    expect(allowed.status).toBe(200)
    expect((await send(srv, '/', { headers: JSON_TYPE, body })).status).toBe(200)
  })
})

describe('Host (DNS rebinding)', () => {
  it('a foreign Host is refused with 403 naming it and a2a.allowed_hosts, on every route', async () => {
    const evil = { host: 'evil.example:8000' }
    const rpc = await send(srv, '/a2a', { headers: { ...JSON_TYPE, ...evil }, body })
    expect(rpc.status).toBe(403)
    expect(rpc.json.error.code).toBe(-32600)
    expect(rpc.json.error.message).toContain('"evil.example:8000"')
    expect(rpc.json.error.message).toContain('a2a.allowed_hosts')
    for (const path of [
      '/.well-known/agent-card.json',
      '/.well-known/agent.json',
      '/health',
      '/transcript',
    ]) {
      const answer = await send(srv, path, { method: 'GET', headers: evil })
      expect(answer.status).toBe(403)
      expect(answer.json.error).toContain('a2a.allowed_hosts')
    }
  })

  it.each([
    '127.0.0.1',
    '127.0.0.1:8000',
    '10.1.2.3:8000',
    '[::1]:8000',
    '[::1]',
    'localhost:8000',
    'LOCALHOST',
    'agent.internal',
    'agent.internal.:8000',
  ])('Host %s is served', async (host) => {
    const answer = await send(srv, '/', { headers: { ...JSON_TYPE, host }, body })
    expect(answer.status).toBe(200)
  })

  it("the card URL's host is served, and follows setCard", async () => {
    const named = await start(undefined, {})
    try {
      const served = (await (await fetch(`${named.url}/.well-known/agent.json`)).json()) as Json
      named.server.setCard({ ...served, url: 'http://ws-abc:8000/' })
      expect((await send(named, '/', { headers: { ...JSON_TYPE, host: 'ws-abc:8000' }, body })).status).toBe(
        200,
      )
      named.server.setCard({ ...served, url: 'http://ws-def:8000/' })
      expect((await send(named, '/', { headers: { ...JSON_TYPE, host: 'ws-abc:8000' }, body })).status).toBe(
        403,
      )
      expect((await send(named, '/', { headers: { ...JSON_TYPE, host: 'ws-def' }, body })).status).toBe(200)
    } finally {
      await named.close()
    }
  })

  it('a request without Host (HTTP/1.0) is served', async () => {
    const { port } = new URL(srv.url)
    const raw = await new Promise<string>((resolve, reject) => {
      const socket = connect(Number(port), '127.0.0.1', () => {
        socket.end('GET /.well-known/agent-card.json HTTP/1.0\r\n\r\n')
      })
      let text = ''
      socket.on('data', (c) => (text += c))
      socket.on('end', () => resolve(text))
      socket.on('error', reject)
    })
    expect(raw).toMatch(/^HTTP\/1\.[01] 200/)
    expect(raw).toContain('"name":"echo-agent"')
  })
})

describe('bearer mode', () => {
  let tokens: string[] = ['tok-one', 'tok-two']
  let guarded: Running
  beforeAll(async () => {
    guarded = await start(undefined, { auth: { bearer: () => tokens }, transcriptToken: () => 'tok-one' })
  })
  afterAll(() => guarded.close())

  it('refuses the JSON-RPC routes without a valid bearer: 401 with a JSON-RPC error body', async () => {
    for (const authorization of [
      undefined,
      'Bearer wrong',
      'tok-one',
      'Bearer tok-onex',
      'bearer  tok-one',
      'Basic tok-one',
      'Bearer ',
    ])
      for (const path of ['/', '/a2a']) {
        const headers: Record<string, string> = { ...JSON_TYPE }
        if (authorization !== undefined) headers.authorization = authorization
        const answer = await send(guarded, path, { headers, body })
        expect(answer.status, `${path} ${authorization}`).toBe(401)
        expect(answer.json).toMatchObject({ jsonrpc: '2.0', error: { code: -32600 } })
        expect(answer.headers['www-authenticate']).toBe('Bearer')
      }
  })

  it('refuses other routes with {"error":"unauthorized"}; the card and /health stay open', async () => {
    for (const path of ['/transcript', '/no-such-route']) {
      const answer = await send(guarded, path, { method: 'GET' })
      expect(answer.status).toBe(401)
      expect(answer.json).toEqual({ error: 'unauthorized' })
    }
    for (const path of ['/.well-known/agent-card.json', '/.well-known/agent.json', '/health'])
      expect((await send(guarded, path, { method: 'GET' })).status).toBe(200)
  })

  it('serves any of the tokens, read per request', async () => {
    for (const token of ['tok-one', 'tok-two']) {
      const answer = await send(guarded, '/', {
        headers: { ...JSON_TYPE, authorization: `Bearer ${token}` },
        body,
      })
      expect(answer.json.result.parts[0].text).toBe('echo: hi')
    }
    const transcript = await send(guarded, '/transcript', {
      method: 'GET',
      headers: { authorization: 'Bearer tok-one' },
    })
    expect(transcript.status).toBe(200)
    tokens = ['tok-three', '']
    expect(
      (await send(guarded, '/', { headers: { ...JSON_TYPE, authorization: 'Bearer tok-one' }, body })).status,
    ).toBe(401)
    expect(
      (await send(guarded, '/', { headers: { ...JSON_TYPE, authorization: 'Bearer ' }, body })).status,
    ).toBe(401)
    expect(
      (await send(guarded, '/', { headers: { ...JSON_TYPE, authorization: 'Bearer tok-three' }, body }))
        .status,
    ).toBe(200)
    tokens = []
    expect(
      (await send(guarded, '/', { headers: { ...JSON_TYPE, authorization: 'Bearer tok-three' }, body }))
        .status,
    ).toBe(401)
  })
})
