import type { ExecuteFn } from '@molecule/adapter-core'
import { describe, expect, it } from 'vitest'
import { type Json, readSse, sendBody, start, tick } from './helpers.js'

describe('tasks/resubscribe on a running task', () => {
  it('a second client receives the live events up to the final one; keep-alives are comments', async () => {
    let release: (() => void) | undefined
    const executor: ExecuteFn = (ctx) =>
      (async function* () {
        yield 'first '
        await new Promise<void>((r) => {
          release = r
        })
        yield `second for ${ctx.text}`
      })()
    const srv = await start(executor, { sseKeepAliveMs: 5 })
    try {
      const { json } = await srv.rpc(sendBody('job', { configuration: { blocking: false } }))
      const taskId = json.result.id
      for (let i = 0; i < 100 && release === undefined; i++) await tick(2)
      const pending = fetch(`${srv.url}/a2a`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          jsonrpc: '2.0',
          id: 'r',
          method: 'tasks/resubscribe',
          params: { id: taskId },
        }),
      })
      const res = await pending
      await tick(20)
      release?.()
      const raw = await res.text()
      expect(raw).toContain(': keep-alive')
      const events: Json[] = raw
        .split('\n\n')
        .filter((b) => b.startsWith('data: '))
        .map((b) => JSON.parse(b.slice(6)))
      expect(events[0].result).toMatchObject({ kind: 'task', id: taskId, status: { state: 'working' } })
      expect(events.at(-1).result).toMatchObject({
        kind: 'status-update',
        final: true,
        status: { state: 'completed' },
      })
      expect(
        events.some(
          (e) => e.result.kind === 'artifact-update' && e.result.artifact.parts[0].text === 'second for job',
        ),
      ).toBe(true)
    } finally {
      await srv.close()
    }
  })

  it('unknown task ids on resubscribe get -32001 as plain JSON', async () => {
    const srv = await start()
    try {
      const { json } = await srv.rpc({
        jsonrpc: '2.0',
        id: 1,
        method: 'SubscribeToTask',
        params: { id: 'ghost' },
      })
      expect(json.error.code).toBe(-32001)
    } finally {
      await srv.close()
    }
  })
})

describe('v1.0 push notification config methods', () => {
  it('create, get, list and delete round-trip in v1.0 shapes', async () => {
    const srv = await start(undefined, {
      cardExtra: { capabilities: { streaming: true, pushNotifications: true } },
      pushNotifications: { allowPrivateTargets: true },
    })
    let id = 0
    const call = async (method: string, params: object) =>
      (await srv.rpc({ jsonrpc: '2.0', id: ++id, method, params }, { 'A2A-Version': '1.0' })).json
    try {
      const { json: sent } = await srv.rpc(sendBody('x'))
      const taskId = sent.result.taskId
      const created = await call('CreateTaskPushNotificationConfig', {
        taskId,
        id: 'cfg-1',
        url: 'http://127.0.0.1:9/hook',
        token: 'tok',
      })
      // The token is for the receiver only: no answer echoes it.
      expect(created.result).toEqual({
        id: 'cfg-1',
        taskId,
        url: 'http://127.0.0.1:9/hook',
      })
      const got = await call('GetTaskPushNotificationConfig', { taskId, id: 'cfg-1' })
      expect(got.result.url).toBe('http://127.0.0.1:9/hook')
      const listed = await call('ListTaskPushNotificationConfigs', { taskId })
      expect(listed.result).toEqual({ configs: [created.result], nextPageToken: '' })
      // Paged: a second config, one per page.
      await call('CreateTaskPushNotificationConfig', { taskId, id: 'cfg-2', url: 'http://127.0.0.1:9/other' })
      const first = (await call('ListTaskPushNotificationConfigs', { taskId, pageSize: 1 })).result
      expect(first.configs.map((c: Json) => c.id)).toEqual(['cfg-1'])
      expect(first.nextPageToken).not.toBe('')
      const second = (
        await call('ListTaskPushNotificationConfigs', { taskId, pageSize: 1, pageToken: first.nextPageToken })
      ).result
      expect(second).toMatchObject({ configs: [{ id: 'cfg-2' }], nextPageToken: '' })
      expect((await call('ListTaskPushNotificationConfigs', { taskId, pageToken: 'bogus' })).error.code).toBe(
        -32602,
      )
      await call('DeleteTaskPushNotificationConfig', { taskId, id: 'cfg-2' })
      const deleted = await call('DeleteTaskPushNotificationConfig', { taskId, id: 'cfg-1' })
      expect(deleted.result).toEqual({})
      const again = await call('DeleteTaskPushNotificationConfig', { taskId, id: 'cfg-1' })
      expect(again.error.code).toBe(-32602)
      const bad = await call('CreateTaskPushNotificationConfig', { taskId, url: 'not a url' })
      expect(bad.error.code).toBe(-32602)
      expect(bad.error.message).toContain('url')
    } finally {
      await srv.close()
    }
  })

  it('SSE responses validate as a stream with readSse helper', async () => {
    const srv = await start()
    try {
      const res = await fetch(`${srv.url}/`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ ...sendBody('s'), method: 'message/stream' }),
      })
      const events = await readSse(res)
      expect(events.every((e: Json) => e.jsonrpc === '2.0' && e.id === 1)).toBe(true)
    } finally {
      await srv.close()
    }
  })
})

describe('v1.0 methods on a task in a terminal state answer UnsupportedOperationError (-32004)', () => {
  const v1 = { 'A2A-Version': '1.0' }

  it('SubscribeToTask refuses a finished task with a plain JSON-RPC error; tasks/resubscribe (v0.3) still streams its snapshot', async () => {
    const srv = await start()
    try {
      const { json: sent } = await srv.rpc(sendBody('done'))
      const taskId = sent.result.taskId
      const refused = await srv.rpc(
        { jsonrpc: '2.0', id: 's', method: 'SubscribeToTask', params: { id: taskId } },
        v1,
      )
      expect(refused.status).toBe(200)
      expect(refused.json).toMatchObject({ jsonrpc: '2.0', id: 's', error: { code: -32004 } })
      const legacy = await fetch(`${srv.url}/`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          jsonrpc: '2.0',
          id: 'l',
          method: 'tasks/resubscribe',
          params: { id: taskId },
        }),
      })
      const events = await readSse(legacy)
      expect(events).toHaveLength(1)
      expect(events[0].result).toMatchObject({ kind: 'task', id: taskId, status: { state: 'completed' } })
    } finally {
      await srv.close()
    }
  })

  it.each(['SendMessage', 'SendStreamingMessage'])(
    '%s continuing a finished task is refused with -32004 and starts nothing',
    async (method) => {
      const srv = await start()
      try {
        const { json: sent } = await srv.rpc(sendBody('done'))
        const taskId = sent.result.taskId
        const { status, json } = await srv.rpc(
          {
            jsonrpc: '2.0',
            id: 'm',
            method,
            params: {
              message: { messageId: 'again', role: 'ROLE_USER', taskId, parts: [{ text: 'more' }] },
            },
          },
          v1,
        )
        expect(status).toBe(200)
        expect(json).toMatchObject({ jsonrpc: '2.0', id: 'm', error: { code: -32004 } })
        expect(srv.server.activeTaskCount()).toBe(0)
        // The v0.3 name keeps its v0.3 answer (-32600, as @a2a-js/sdk 0.3 servers give).
        const legacy = await srv.rpc({
          ...sendBody('more', {}, 'o'),
          params: {
            message: { role: 'user', messageId: 'o', taskId, parts: [{ kind: 'text', text: 'more' }] },
          },
        })
        expect(legacy.json.error.code).toBe(-32600)
      } finally {
        await srv.close()
      }
    },
  )
})
