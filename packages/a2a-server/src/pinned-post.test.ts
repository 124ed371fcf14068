import { createServer, type IncomingMessage } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { postPinned } from './pinned-post.js'

// Only loopback is ever connected to: the pinned address is 127.0.0.1, the URL's host a name under
// `.invalid`, which no resolver answers, so a request that arrives proves DNS was not asked.

let port: number
const seen: { host: string | undefined; path: string | undefined; body: string }[] = []
let status = 200
const receiver = createServer((req: IncomingMessage, res) => {
  let body = ''
  req.on('data', (c) => (body += c))
  req.on('end', () => {
    seen.push({ host: req.headers.host, path: req.url, body })
    res.writeHead(status, status === 302 ? { location: 'http://127.0.0.1:1/elsewhere' } : {}).end()
  })
})

beforeAll(async () => {
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r))
  port = (receiver.address() as AddressInfo).port
})
afterAll(() => new Promise<void>((r) => receiver.close(() => r())))

describe('postPinned', () => {
  it('connects to the vetted address while Host names the URL host', async () => {
    seen.length = 0
    status = 200
    const url = new URL(`http://hooks.invalid:${port}/hook?x=1`)
    const answered = await postPinned({ url, address: '127.0.0.1', family: 4 }, {}, '{"a":1}', 2000)
    expect(answered).toBe(200)
    expect(seen).toEqual([{ host: `hooks.invalid:${port}`, path: '/hook?x=1', body: '{"a":1}' }])
  })

  it('answers a redirect as its status without following it', async () => {
    seen.length = 0
    status = 302
    const url = new URL(`http://hooks.invalid:${port}/moved`)
    expect(await postPinned({ url, address: '127.0.0.1', family: 4 }, {}, '{}', 2000)).toBe(302)
    expect(seen.map((s) => s.path)).toEqual(['/moved'])
  })
})
