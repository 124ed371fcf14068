import { createServer, type IncomingMessage } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { ExecuteFn, RequestContext } from '@molecule/adapter-core'
import { describe, expect, it } from 'vitest'
import type { TaskActivity } from '../src/index.js'
import { type Json, readSse, sendBody, start, tick } from './helpers.js'

function blocking() {
  const seen: RequestContext[] = []
  const executor: ExecuteFn = async (ctx) => {
    seen.push(ctx)
    if (ctx.text.startsWith('hang')) {
      await new Promise<void>((resolve) => ctx.signal.addEventListener('abort', () => resolve()))
      return undefined
    }
    if (ctx.text.startsWith('short')) await tick(20)
    return `done: ${ctx.text}`
  }
  return { seen, executor }
}

describe('server lifecycle', () => {
  it('/health carries the fields of the health option, read per request, never over status and activeTasks', async () => {
    let calls = 0
    const srv = await start(async () => 'ok', {
      health: () => ({ compliance: { enabled: true, reads: ++calls }, status: 'forged' }),
    })
    try {
      expect(await (await fetch(`${srv.url}/health`)).json()).toEqual({
        compliance: { enabled: true, reads: 1 },
        status: 'ok',
        activeTasks: 0,
      })
      expect(((await (await fetch(`${srv.url}/health`)).json()) as Json).compliance.reads).toBe(2)
    } finally {
      await srv.close()
    }
  })

  it('counts active tasks and emits taskStart/taskEnd', async () => {
    const { executor } = blocking()
    const events: string[] = []
    const srv = await start(executor, { onTaskEnd: (a) => events.push(`end:${a.state}`) })
    const off = srv.server.on('taskStart', (a: TaskActivity) => events.push(`start:${a.summary}`))
    try {
      const pending = srv.rpc(sendBody('hang on'))
      for (let i = 0; i < 100 && srv.server.activeTaskCount() === 0; i++) await tick(2)
      expect(srv.server.activeTaskCount()).toBe(1)
      const health = (await (await fetch(`${srv.url}/health`)).json()) as Json
      expect(health).toEqual({ status: 'ok', activeTasks: 1 })
      const drained = await srv.server.drain({ graceMs: 10 })
      expect(drained.canceled).toHaveLength(1)
      const { json } = await pending
      expect(json.result).toMatchObject({ kind: 'task', status: { state: 'canceled' } })
      expect(srv.server.activeTaskCount()).toBe(0)
      expect(events).toEqual(['start:hang on', 'end:canceled'])
      off()
      const refused = await srv.rpc(sendBody('after drain'))
      expect(refused.status).toBe(503)
      expect(refused.json.error.code).toBe(-32603)
    } finally {
      await srv.close()
    }
  })

  it('cancel answers a blocked message/send even when the executor ignores its signal', async () => {
    let finishLate: (() => void) | undefined
    const ignoresCancel: ExecuteFn = async () => {
      await new Promise<void>((r) => {
        finishLate = r
      })
      return 'too late'
    }
    const srv = await start(ignoresCancel, { listTasks: true })
    try {
      const pending = srv.rpc(sendBody('work'))
      for (let i = 0; i < 100 && finishLate === undefined; i++) await tick(2)
      const [taskId] = (
        await srv.rpc({ jsonrpc: '2.0', id: 2, method: 'ListTasks', params: {} })
      ).json.result.tasks.map((t: { id: string }) => t.id)
      const canceled = await srv.rpc({
        jsonrpc: '2.0',
        id: 3,
        method: 'tasks/cancel',
        params: { id: taskId },
      })
      expect(canceled.json.result.status.state).toBe('canceled')
      expect((await pending).json.result.status.state).toBe('canceled')
      finishLate?.()
      await tick(5)
      const got = await srv.rpc({ jsonrpc: '2.0', id: 4, method: 'tasks/get', params: { id: taskId } })
      expect(got.json.result.status.state).toBe('canceled')
    } finally {
      await srv.close()
    }
  })

  it('drain lets running tasks finish within the grace period', async () => {
    const { executor } = blocking()
    const srv = await start(executor)
    try {
      const pending = srv.rpc(sendBody('short job'))
      for (let i = 0; i < 100 && srv.server.activeTaskCount() === 0; i++) await tick(2)
      expect((await srv.server.drain({ graceMs: 2_000 })).canceled).toEqual([])
      expect((await pending).json.result.parts[0].text).toBe('done: short job')
    } finally {
      await srv.close()
    }
  })

  it('a reply-only task shows its reply as the artifact in tasks/get', async () => {
    const srv = await start()
    try {
      const { json: sent } = await srv.rpc(sendBody('plain'))
      const got = await srv.rpc({
        jsonrpc: '2.0',
        id: 2,
        method: 'tasks/get',
        params: { id: sent.result.taskId },
      })
      expect(got.json.result.artifacts).toEqual([
        { artifactId: `${sent.result.taskId}-output`, parts: [{ kind: 'text', text: 'echo: plain' }] },
      ])
      expect(got.json.result.status.message.parts).toEqual(got.json.result.artifacts[0].parts)
    } finally {
      await srv.close()
    }
  })

  it('serves the card from cache until setCard, on both paths', async () => {
    const srv = await start()
    try {
      const a = (await (await fetch(`${srv.url}/.well-known/agent-card.json`)).json()) as Json
      const b = (await (await fetch(`${srv.url}/.well-known/agent.json`)).json()) as Json
      expect(a).toEqual(b)
      expect(a.supportedInterfaces[0]).toEqual({
        url: `${srv.url}/`,
        protocolBinding: 'JSONRPC',
        protocolVersion: '1.0',
      })
      srv.server.setCard({ ...a, name: 'renamed', supportedInterfaces: undefined })
      expect(((await (await fetch(`${srv.url}/.well-known/agent-card.json`)).json()) as Json).name).toBe(
        'renamed',
      )
    } finally {
      await srv.close()
    }
  })

  it('takes traceparent and tracestate from params.metadata when no header carries them (the proxy forwards none)', async () => {
    const seen: RequestContext[] = []
    const srv = await start(((ctx) => {
      seen.push(ctx)
      return 'ok'
    }) as ExecuteFn)
    try {
      const traceparent = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01'
      await srv.rpc(sendBody('hi', { metadata: { traceparent, tracestate: 'a=1' } }))
      expect(seen[0]?.traceparent).toBe(traceparent)
      expect(seen[0]?.tracestate).toBe('a=1')
    } finally {
      await srv.close()
    }
  })

  it('passes traceparent, metadata and history to the executor; input-required resumes the task', async () => {
    const seen: RequestContext[] = []
    const srv = await start(
      ((ctx, ev) => {
        seen.push(ctx)
        if (ctx.history.length === 0) ev.inputRequired('which one?')
        else ev.complete(`got ${ctx.text} after ${ctx.history.length} messages`)
      }) as ExecuteFn,
      { listTasks: true },
    )
    try {
      const traceparent = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01'
      const tracestate = 'vendor=opaque'
      const first = await srv.rpc(sendBody('start', { metadata: { parent_task_id: 'p1' } }), {
        traceparent,
        tracestate,
      })
      expect(first.json.result.status).toMatchObject({
        state: 'input-required',
        message: { parts: [{ text: 'which one?' }] },
      })
      expect(seen[0]?.traceparent).toBe(traceparent)
      expect(seen[0]?.tracestate).toBe(tracestate)
      expect(seen[0]?.metadata).toEqual({ parent_task_id: 'p1' })
      const taskId = first.json.result.id
      const second = await srv.rpc({
        jsonrpc: '2.0',
        id: 2,
        method: 'message/send',
        params: { message: { parts: [{ text: 'the red one' }], taskId } },
      })
      expect(second.json.result.parts[0].text).toBe('got the red one after 2 messages')
      const got = await srv.rpc({
        jsonrpc: '2.0',
        id: 3,
        method: 'tasks/get',
        params: { id: taskId, historyLength: 0 },
      })
      expect(got.json.result.history).toBeUndefined()
      const list = await srv.rpc(
        { jsonrpc: '2.0', id: 4, method: 'ListTasks', params: { pageSize: 5 } },
        { 'A2A-Version': '1.0' },
      )
      expect(list.json.result.tasks[0]).toMatchObject({
        id: taskId,
        status: { state: 'TASK_STATE_COMPLETED' },
      })
    } finally {
      await srv.close()
    }
  })

  it('serves /transcript with bearer auth, failing closed', async () => {
    let token: string | undefined
    const srv = await start(undefined, {
      transcriptToken: () => token,
      transcript: (since, limit) => ({
        runtime: 'echo',
        supported: true,
        lines: [{ since, limit }],
        cursor: since + 1,
        more: false,
        source: 'test',
      }),
    })
    try {
      const get = (q: string, auth?: string) =>
        fetch(`${srv.url}/transcript${q}`, auth ? { headers: { authorization: auth } } : {})
      expect((await get('', 'Bearer anything')).status).toBe(401)
      token = 'sekrit'
      expect((await get('', 'Bearer wrong')).status).toBe(401)
      expect((await get('')).status).toBe(401)
      const bad = await get('?since=x', 'Bearer sekrit')
      expect(bad.status).toBe(400)
      expect(await bad.json()).toEqual({ error: 'since and limit must be integers' })
      const ok = (await (await get('?since=2&limit=5000', 'Bearer sekrit')).json()) as Json
      expect(ok.lines).toEqual([{ since: 2, limit: 1000 }])
    } finally {
      await srv.close()
    }
  })
})

describe('push notifications', () => {
  it('delivers task updates with the token, retrying 5xx with backoff', async () => {
    const received: { token: string | undefined; state: string }[] = []
    let failures = 1
    const receiver = createServer((req: IncomingMessage, res) => {
      let body = ''
      req.on('data', (c) => (body += c))
      req.on('end', () => {
        if (failures-- > 0) return res.writeHead(503).end()
        received.push({
          token: req.headers['x-a2a-notification-token'] as string | undefined,
          state: JSON.parse(body).status.state,
        })
        res.writeHead(200).end()
      })
    })
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r))
    const hook = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`
    const srv = await start(
      async () => {
        await tick(30)
        return 'pushed'
      },
      {
        cardExtra: { capabilities: { streaming: true, pushNotifications: true } },
        pushNotifications: { allowPrivateTargets: true, backoffMs: 5 },
      },
    )
    try {
      const { json } = await srv.rpc(
        sendBody('notify me', {
          configuration: { blocking: false, pushNotificationConfig: { url: hook, token: 'tok-1' } },
        }),
      )
      expect(json.result.kind).toBe('task')
      for (let i = 0; i < 200 && received.length < 2; i++) await tick(5)
      expect(received).toEqual([
        { token: 'tok-1', state: 'working' },
        { token: 'tok-1', state: 'completed' },
      ])
    } finally {
      await srv.close()
      receiver.close()
    }
  })

  it("keeps a task's push config until its final notification is delivered, then drops it", async () => {
    let failFinal = 1
    let finalAttempts = 0
    let delivered = false
    const receiver = createServer((req: IncomingMessage, res) => {
      let body = ''
      req.on('data', (c) => (body += c))
      req.on('end', () => {
        if (JSON.parse(body).status.state !== 'completed') return res.writeHead(200).end()
        finalAttempts++
        if (failFinal-- > 0) return res.writeHead(503).end()
        delivered = true
        res.writeHead(200).end()
      })
    })
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r))
    const hook = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`
    const srv = await start(undefined, {
      cardExtra: { capabilities: { streaming: true, pushNotifications: true } },
      pushNotifications: { allowPrivateTargets: true, backoffMs: 300 },
    })
    const getConfig = (taskId: string) =>
      srv.rpc({ jsonrpc: '2.0', id: 2, method: 'tasks/pushNotificationConfig/get', params: { id: taskId } })
    try {
      const { json: sent } = await srv.rpc(
        sendBody('notify me', { configuration: { pushNotificationConfig: { url: hook, token: 'tok-2' } } }),
      )
      const taskId = sent.result.taskId
      for (let i = 0; i < 200 && finalAttempts === 0; i++) await tick(5)
      // The final notification failed once and waits for its retry: the config is still there.
      expect(delivered).toBe(false)
      const during = await getConfig(taskId)
      expect(during.json.result).toMatchObject({ taskId, pushNotificationConfig: { url: hook } })
      // The token is for the receiver only: no answer echoes it.
      expect(during.json.result.pushNotificationConfig).not.toHaveProperty('token')
      for (let i = 0; i < 200 && !delivered; i++) await tick(5)
      expect(finalAttempts).toBe(2)
      for (let i = 0; i < 50; i++) {
        if ((await getConfig(taskId)).json.error) break
        await tick(5)
      }
      const after = await getConfig(taskId)
      expect(after.json.error).toMatchObject({
        code: -32602,
        message: expect.stringMatching(/No push notification config/),
      })
    } finally {
      await srv.close()
      receiver.close()
    }
  })

  it('bounds the configs kept for finished tasks, dropping the oldest', async () => {
    const srv = await start(undefined, {
      cardExtra: { capabilities: { pushNotifications: true } },
      pushNotifications: { allowPrivateTargets: true, maxFinishedTasks: 2 },
    })
    const rpc = (id: number, method: string, params: unknown) =>
      srv.rpc({ jsonrpc: '2.0', id, method, params })
    try {
      const ids: string[] = []
      for (let i = 0; i < 3; i++) {
        const taskId = (await srv.rpc(sendBody(`t${i}`))).json.result.taskId
        ids.push(taskId)
        const set = await rpc(2, 'tasks/pushNotificationConfig/set', {
          taskId,
          pushNotificationConfig: { url: 'http://127.0.0.1:9/hook' },
        })
        expect(set.json.result.taskId).toBe(taskId)
      }
      const got = await Promise.all(ids.map((id) => rpc(3, 'tasks/pushNotificationConfig/get', { id })))
      expect(got[0]?.json.error).toMatchObject({ code: -32602 })
      expect(got[1]?.json.result.taskId).toBe(ids[1])
      expect(got[2]?.json.result.taskId).toBe(ids[2])
    } finally {
      await srv.close()
    }
  })

  it('bounds the configs of tasks left waiting for input too, and lets a continued task finish them', async () => {
    const asks: ExecuteFn = async (ctx, events) =>
      ctx.text === 'done' ? 'finished' : events.inputRequired('which one?')
    const srv = await start(asks, {
      cardExtra: { capabilities: { pushNotifications: true } },
      pushNotifications: { allowPrivateTargets: true, maxFinishedTasks: 2, attempts: 1 },
    })
    const config = { url: 'http://127.0.0.1:9/hook' } // nothing listens: deliveries fail fast
    const send = (text: string, taskId?: string) =>
      srv.rpc({
        jsonrpc: '2.0',
        id: 1,
        method: 'message/send',
        params: {
          message: { role: 'user', parts: [{ text }], ...(taskId ? { taskId } : {}) },
          configuration: { pushNotificationConfig: config },
        },
      })
    const configOf = async (id: string) =>
      (await srv.rpc({ jsonrpc: '2.0', id: 2, method: 'tasks/pushNotificationConfig/get', params: { id } }))
        .json
    try {
      const ids: string[] = []
      for (let i = 0; i < 3; i++) {
        const { json } = await send(`ask ${i}`)
        expect(json.result.status.state).toBe('input-required')
        ids.push(json.result.id)
      }
      const [first, second, third] = ids as [string, string, string]
      expect((await configOf(first)).error).toMatchObject({ code: -32602 })
      expect((await configOf(second)).result.pushNotificationConfig.url).toBe(config.url)
      // Continued to a final state: the final notification is attempted, then the configs go.
      expect((await send('done', third)).json.result.parts[0].text).toBe('finished')
      for (let i = 0; i < 100 && !(await configOf(third)).error; i++) await tick(5)
      expect((await configOf(third)).error).toMatchObject({ code: -32602 })
      expect((await configOf(second)).result.pushNotificationConfig.url).toBe(config.url)
    } finally {
      await srv.close()
    }
  })

  it('refuses private targets unless allowed', async () => {
    const srv = await start(undefined, { cardExtra: { capabilities: { pushNotifications: true } } })
    try {
      const { json: sent } = await srv.rpc(sendBody('x'))
      const { json } = await srv.rpc({
        jsonrpc: '2.0',
        id: 2,
        method: 'tasks/pushNotificationConfig/set',
        params: {
          taskId: sent.result.taskId,
          pushNotificationConfig: { url: 'http://169.254.169.254/latest' },
        },
      })
      expect(json.error.code).toBe(-32602)
      expect(json.error.message).toMatch(/private/)
    } finally {
      await srv.close()
    }
  })
})

describe('v1.0 streaming over raw HTTP', () => {
  it('SendStreamingMessage yields v1 StreamResponse objects', async () => {
    const srv = await start()
    try {
      const res = await fetch(`${srv.url}/a2a`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'A2A-Version': '1.0' },
        body: JSON.stringify({
          jsonrpc: '2.0',
          id: 1,
          method: 'SendStreamingMessage',
          params: { message: { role: 'ROLE_USER', messageId: 'm', parts: [{ text: 'v1' }] } },
        }),
      })
      const events = (await readSse(res)).map((e) => e.result)
      expect(Object.keys(events[0])).toEqual(['task'])
      expect(events[0].task.status.state).toBe('TASK_STATE_SUBMITTED')
      expect(events.at(-1).statusUpdate.status).toMatchObject({
        state: 'TASK_STATE_COMPLETED',
        message: { role: 'ROLE_AGENT', parts: [{ text: 'echo: v1' }] },
      })
    } finally {
      await srv.close()
    }
  })
})
