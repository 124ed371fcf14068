import { prng } from '@molecule/test-support'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Json, type Running, start } from './helpers.js'

const METHODS = [
  'message/send',
  'message/stream',
  'tasks/get',
  'tasks/cancel',
  'tasks/resubscribe',
  'tasks/pushNotificationConfig/set',
  'tasks/pushNotificationConfig/get',
  'tasks/pushNotificationConfig/list',
  'tasks/pushNotificationConfig/delete',
  'agent/getAuthenticatedExtendedCard',
  'SendMessage',
  'SendStreamingMessage',
  'GetTask',
  'ListTasks',
  'CancelTask',
  'SubscribeToTask',
  'CreateTaskPushNotificationConfig',
  'GetTaskPushNotificationConfig',
  'ListTaskPushNotificationConfigs',
  'DeleteTaskPushNotificationConfig',
  'GetExtendedAgentCard',
  'tasks/send',
  '',
  'constructor',
  '__proto__',
  'toString',
]

function generator(seed: number, knownTaskIds: string[]) {
  const r = prng(seed)
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)] as T
  const str = () =>
    pick([
      '',
      'x',
      'text',
      'kind',
      '💥',
      '\u0000',
      'a'.repeat(300),
      '../../etc',
      '{"a":1}',
      'ROLE_USER',
      'user',
    ])
  const value = (depth: number): unknown => {
    const k = Math.floor(r() * (depth > 3 ? 6 : 9))
    switch (k) {
      case 0:
        return null
      case 1:
        return r() < 0.5
      case 2:
        return pick([0, -1, 1.5, 1e308, -0, 2 ** 53, Number.MAX_SAFE_INTEGER])
      case 3:
        return str()
      case 4:
        return pick(knownTaskIds.length ? knownTaskIds : ['none'])
      case 5:
        return undefined
      case 6:
        return Array.from({ length: Math.floor(r() * 4) }, () => value(depth + 1))
      default: {
        const o: Record<string, unknown> = {}
        const keys = [
          'kind',
          'type',
          'text',
          'parts',
          'role',
          'messageId',
          'taskId',
          'contextId',
          'id',
          'file',
          'data',
          'url',
          'raw',
          'metadata',
          'historyLength',
          'configuration',
          'blocking',
          'pushNotificationConfig',
          'pushNotificationConfigId',
          'message',
          'token',
          'status',
          'pageSize',
          '__proto__',
          'constructor',
        ]
        for (let i = Math.floor(r() * 5); i > 0; i--) o[pick(keys)] = value(depth + 1)
        return o
      }
    }
  }
  const message = () => {
    const m: Record<string, unknown> = {}
    if (r() < 0.9)
      m.parts =
        r() < 0.8
          ? Array.from({ length: Math.floor(r() * 3) }, () =>
              r() < 0.6
                ? {
                    [pick(['kind', 'type', 'x'])]: pick(['text', 'file', 'data', 'video']),
                    text: r() < 0.8 ? str() : value(2),
                  }
                : value(2),
            )
          : value(1)
    if (r() < 0.7) m.role = pick(['user', 'agent', 'ROLE_USER', 'robot', 3])
    if (r() < 0.3) m.taskId = value(1)
    if (r() < 0.3) m.contextId = value(1)
    if (r() < 0.3) m.metadata = value(1)
    return m
  }
  return (): string => {
    const shape = r()
    if (shape < 0.08)
      return pick([
        '',
        '{',
        '[',
        'null',
        '1',
        '"x"',
        '{"jsonrpc":"2.0"',
        '\u0000\u0001',
        '[]',
        '{}',
        `${'['.repeat(5000)}${']'.repeat(5000)}`,
      ])
    if (shape < 0.15) return JSON.stringify(value(0)) ?? 'null'
    if (shape < 0.35)
      // Nearly valid: a real send with one field replaced by a random value.
      return JSON.stringify({
        jsonrpc: '2.0',
        id: Math.floor(r() * 1e6),
        method: pick(['message/send', 'SendMessage', 'message/stream', 'SendStreamingMessage']),
        params: {
          message: {
            role: 'user',
            parts: [{ [pick(['kind', 'type', 'none'])]: 'text', text: str() }],
            [pick(['metadata', 'contextId', 'taskId', 'extensions'])]: r() < 0.5 ? value(1) : undefined,
          },
        },
      })
    const body: Record<string, unknown> = {}
    if (r() < 0.9) body.jsonrpc = r() < 0.9 ? '2.0' : value(2)
    if (r() < 0.9) body.id = r() < 0.85 ? Math.floor(r() * 1e6) : value(2)
    body.method = r() < 0.95 ? pick(METHODS) : value(2)
    if (r() < 0.9) {
      const p: Record<string, unknown> =
        r() < 0.5 ? { message: message() } : (value(1) as Record<string, unknown>)
      if (p && typeof p === 'object' && !Array.isArray(p)) {
        if (r() < 0.3) p.id = value(1)
        if (r() < 0.2) p.taskId = value(1)
        if (r() < 0.2) p.configuration = value(1)
        if (r() < 0.2)
          p.pushNotificationConfig = {
            url: pick(['http://127.0.0.1:9/x', 'ftp://x', 'not a url', 'http://10.0.0.1/']),
            token: str(),
          }
        if (r() < 0.2) p.historyLength = value(2)
      }
      body.params = p
    }
    const text = JSON.stringify(body)
    return r() < 0.05 ? text.slice(0, Math.floor(r() * text.length)) : text
  }
}

let srv: Running
beforeAll(async () => {
  srv = await start(async (ctx) => `echo: ${ctx.text}`, {
    cardExtra: { capabilities: { streaming: true, pushNotifications: true } },
    pushNotifications: { allowPrivateTargets: false, attempts: 1, timeoutMs: 200 },
  })
})
afterAll(() => srv.close())

describe('fuzzed JSON-RPC bodies', () => {
  it('1,200 generated bodies: never a 500, always a well-formed reply, server keeps serving', async () => {
    const knownTaskIds: string[] = []
    const next = generator(0x5eed, knownTaskIds)
    const statuses = new Map<number, number>()
    let i = 0
    const worker = async () => {
      while (i < 1200) {
        const n = i++
        const body = next()
        const res = await fetch(`${srv.url}${n % 2 ? '/a2a' : '/'}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body,
        })
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1)
        const text = await res.text()
        expect(res.status, `body #${n}: ${body.slice(0, 300)}`).not.toBe(500)
        if (res.headers.get('content-type') === 'text/event-stream') {
          for (const block of text.split('\n\n').filter(Boolean))
            expect(JSON.parse(block.slice(6)).jsonrpc).toBe('2.0')
          continue
        }
        const json = JSON.parse(text)
        expect(json.jsonrpc).toBe('2.0')
        expect('result' in json !== 'error' in json, `body #${n}`).toBe(true)
        const id =
          json.result?.taskId ??
          json.result?.message?.taskId ??
          (json.result?.kind === 'task' ? json.result.id : undefined)
        if (typeof id === 'string') knownTaskIds.push(id)
      }
    }
    await Promise.all([worker(), worker(), worker(), worker()])
    expect(statuses.get(500)).toBeUndefined()
    expect(knownTaskIds.length).toBeGreaterThan(10)
    const health = (await (await fetch(`${srv.url}/health`)).json()) as Json
    expect(health.status).toBe('ok')
    const { json } = await srv.rpc({
      jsonrpc: '2.0',
      id: 'final',
      method: 'message/send',
      params: { message: { parts: [{ text: 'still here' }] } },
    })
    expect(json.result.parts[0].text).toBe('echo: still here')
  }, 60_000)
})
