import { createServer, type IncomingMessage } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Json, sendBody, start, tick } from './helpers.js'

// Push targets that point at this machine must reach nothing. A loopback listener counts what
// arrives; names are answered by an injected resolver (no packet leaves loopback in any test).

let port: number
let hits: { host: string | undefined; token: string | undefined }[] = []
const listener = createServer((req: IncomingMessage, res) => {
  hits.push({ host: req.headers.host, token: req.headers['x-a2a-notification-token'] as string | undefined })
  req.resume()
  res.writeHead(200).end()
})

beforeAll(async () => {
  await new Promise<void>((r) => listener.listen(0, '127.0.0.1', r))
  port = (listener.address() as AddressInfo).port
})
afterAll(() => new Promise<void>((r) => listener.close(() => r())))

/** Answers `*.rebind.test` with 127.0.0.1 (a name that resolves to loopback); nothing else resolves. */
async function resolve(host: string): Promise<string[]> {
  if (host.endsWith('rebind.test')) return ['127.0.0.1']
  throw new Error(`ENOTFOUND ${host}`)
}

describe('push URLs that point at loopback are refused and reach nothing', () => {
  it.each([
    () => `http://[::ffff:127.0.0.1]:${port}/hook`,
    () => `http://[::ffff:7f00:1]:${port}/hook`,
    () => `http://[0:0:0:0:0:ffff:127.0.0.1]:${port}/hook`,
    () => `http://[::7f00:1]:${port}/hook`,
    () => `http://0x7f.1:${port}/hook`,
    () => `http://2130706433:${port}/hook`,
    () => `http://hooks.rebind.test:${port}/hook`,
  ])('%#: set and send refuse it with -32602 naming pushNotificationConfig.url', async (urlOf) => {
    const url = urlOf()
    hits = []
    const srv = await start(async () => 'done', {
      cardExtra: { capabilities: { streaming: true, pushNotifications: true } },
      pushNotifications: { resolve, backoffMs: 1 },
    })
    try {
      const taskId = (await srv.rpc(sendBody('x'))).json.result.taskId
      const set = await srv.rpc({
        jsonrpc: '2.0',
        id: 2,
        method: 'tasks/pushNotificationConfig/set',
        params: { taskId, pushNotificationConfig: { url, token: 't' } },
      })
      expect(set.json.error.code).toBe(-32602)
      expect(set.json.error.message).toMatch(
        /^params\.pushNotificationConfig\.url points at a private address/,
      )
      const sent = await srv.rpc(sendBody('y', { configuration: { pushNotificationConfig: { url } } }))
      expect(sent.json.error.code).toBe(-32602)
      expect(sent.json.error.message).toContain('params.configuration.pushNotificationConfig.url')
      const v1 = await srv.rpc(
        { jsonrpc: '2.0', id: 3, method: 'CreateTaskPushNotificationConfig', params: { taskId, url } },
        { 'A2A-Version': '1.0' },
      )
      expect(v1.json.error).toMatchObject({ code: -32602, message: expect.stringMatching(/^params\.url /) })
      await tick(50)
      expect(hits).toEqual([])
    } finally {
      await srv.close()
    }
  })
})

describe('push deliveries connect to the address the check vetted', () => {
  it('a name is resolved once per delivery and the connection pinned to its answer (no second lookup)', async () => {
    hits = []
    // Private targets allowed, so a loopback answer is delivered to: the listener can only be reached
    // through the injected resolver's answer, since `.rebind.test` resolves nowhere else.
    const srv = await start(async () => 'pushed', {
      cardExtra: { capabilities: { streaming: true, pushNotifications: true } },
      pushNotifications: { resolve, allowPrivateTargets: true, backoffMs: 1 },
    })
    try {
      const url = `http://hooks.rebind.test:${port}/hook`
      const sent = await srv.rpc(
        sendBody('x', { configuration: { pushNotificationConfig: { url, token: 'tok' } } }),
      )
      expect(sent.json.result.parts[0].text).toBe('pushed')
      for (let i = 0; i < 100 && hits.length < 2; i++) await tick(5)
      expect(hits).toEqual([
        { host: `hooks.rebind.test:${port}`, token: 'tok' },
        { host: `hooks.rebind.test:${port}`, token: 'tok' },
      ])
    } finally {
      await srv.close()
    }
  })

  it('a name that resolves public when set and to loopback at delivery (rebinding) reaches nothing', async () => {
    hits = []
    let lookups = 0
    // Public for the check at send, loopback for every later one (the delivery's). No connection is
    // ever made to the public answer: only `set` sees it, and `set` does not connect.
    const rebinding = async (host: string) => (lookups++ === 0 ? ['93.184.216.34'] : resolve(host))
    const srv = await start(async () => 'pushed', {
      cardExtra: { capabilities: { streaming: true, pushNotifications: true } },
      pushNotifications: { resolve: rebinding, backoffMs: 1 },
    })
    try {
      const url = `http://hooks.rebind.test:${port}/hook`
      const sent = await srv.rpc(sendBody('x', { configuration: { pushNotificationConfig: { url } } }))
      expect((sent.json as Json).result.parts[0].text).toBe('pushed')
      for (let i = 0; i < 50 && lookups < 3; i++) await tick(5)
      await tick(30)
      expect(lookups).toBeGreaterThanOrEqual(3)
      expect(hits).toEqual([])
    } finally {
      await srv.close()
    }
  })
})
