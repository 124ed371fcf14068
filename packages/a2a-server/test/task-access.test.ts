import type { ExecuteFn } from '@molecule/adapter-core'
import type { Task } from '@molecule/adapter-core/a2a'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { InMemoryTaskStore, type TaskStore } from '../src/index.js'
import { type Json, type Running, readSse, sendBody, start } from './helpers.js'

// A task belongs to the caller that created it: the `X-Workspace-ID` header, or none. Every method
// that names a task answers any other caller exactly as for an unknown id.

const A = { 'X-Workspace-ID': 'ws-a' }
const B = { 'X-Workspace-ID': 'ws-b' }
const NONE = {}
const V1 = { 'A2A-Version': '1.0' }

const releases: (() => void)[] = []
const executor: ExecuteFn = async (ctx, events) => {
  if (ctx.text === 'who') return `caller: [${ctx.callerId}]`
  if (ctx.text === 'ask') return events.inputRequired('which one?')
  if (ctx.text === 'wait') await new Promise<void>((r) => releases.push(r))
  return `echo: ${ctx.text}`
}

let srv: Running
beforeAll(async () => {
  srv = await start(executor, {
    cardExtra: { capabilities: { streaming: true, pushNotifications: true } },
    pushNotifications: { allowPrivateTargets: true, attempts: 1 },
  })
})
afterAll(() => srv.close())

let n = 0
async function call(method: string, params: unknown, headers: Record<string, string>): Promise<Json> {
  const res = await srv.rpc({ jsonrpc: '2.0', id: ++n, method, params }, headers)
  expect(res.status).toBe(200)
  return res.json
}

/** A task of each kind `caller` owns: a finished one, one waiting for input, a running one. */
async function tasksOf(caller: Record<string, string>) {
  const done = (await srv.rpc(sendBody('hi'), caller)).json.result.taskId as string
  const waiting = (await srv.rpc(sendBody('ask'), caller)).json.result.id as string
  const running = (await srv.rpc(sendBody('wait', { configuration: { blocking: false } }), caller)).json
    .result.id as string
  for (const id of [done, waiting, running])
    await call(
      'tasks/pushNotificationConfig/set',
      { taskId: id, pushNotificationConfig: { url: 'http://127.0.0.1:9/h', id: 'c1' } },
      caller,
    )
  return { done, waiting, running }
}

/** Every method that names a task, as (name, params, headers) for one task id. */
function probes(id: string): [string, unknown, Record<string, string>][] {
  const message = (text: string) => ({ role: 'user', parts: [{ kind: 'text', text }], taskId: id })
  return [
    ['tasks/get', { id }, {}],
    ['GetTask', { id }, V1],
    ['tasks/cancel', { id }, {}],
    ['CancelTask', { id }, V1],
    ['tasks/resubscribe', { id }, {}],
    ['SubscribeToTask', { id }, V1],
    ['message/send', { message: message('more') }, {}],
    ['message/stream', { message: message('more') }, {}],
    [
      'SendMessage',
      { message: { messageId: 'x', role: 'ROLE_USER', parts: [{ text: 'more' }], taskId: id } },
      V1,
    ],
    [
      'tasks/pushNotificationConfig/set',
      { taskId: id, pushNotificationConfig: { url: 'http://127.0.0.1:9/x' } },
      {},
    ],
    ['tasks/pushNotificationConfig/get', { id, pushNotificationConfigId: 'c1' }, {}],
    ['tasks/pushNotificationConfig/list', { id }, {}],
    ['tasks/pushNotificationConfig/delete', { id, pushNotificationConfigId: 'c1' }, {}],
    ['CreateTaskPushNotificationConfig', { taskId: id, url: 'http://127.0.0.1:9/x' }, V1],
    ['GetTaskPushNotificationConfig', { taskId: id, id: 'c1' }, V1],
    ['ListTaskPushNotificationConfigs', { taskId: id }, V1],
    ['DeleteTaskPushNotificationConfig', { taskId: id, id: 'c1' }, V1],
  ]
}

describe('a task is visible only to the caller that created it', () => {
  it.each([
    ['another workspace', A, B],
    ['no identity, for a workspace task', A, NONE],
    ['a workspace, for a task created without identity', NONE, A],
  ])('%s gets -32001 from every task method, as for an unknown id', async (_name, owner, other) => {
    const ids = await tasksOf(owner)
    for (const id of Object.values(ids))
      for (const [method, params, headers] of probes(id)) {
        const answer = await call(method, params, { ...other, ...headers })
        const unknown = await call(
          method,
          JSON.parse(JSON.stringify(params).replaceAll(id, 'no-such-task')),
          {
            ...other,
            ...headers,
          },
        )
        expect(answer.error, `${method} on a ${id === ids.running ? 'running' : 'resting'} task`).toEqual({
          code: -32001,
          message: `Task not found: "${id}"`,
        })
        expect(unknown.error).toEqual({ code: -32001, message: 'Task not found: "no-such-task"' })
      }
    // Nothing was touched: the owner still reads, continues and lists its configs.
    expect((await call('tasks/get', { id: ids.done }, owner)).result.status.state).toBe('completed')
    expect((await call('tasks/get', { id: ids.running }, owner)).result.status.state).toBe('working')
    expect((await call('tasks/pushNotificationConfig/list', { id: ids.waiting }, owner)).result).toHaveLength(
      1,
    )
    const continued = await srv.rpc(
      {
        ...sendBody('later'),
        params: { message: { role: 'user', parts: [{ text: 'later' }], taskId: ids.waiting } },
      },
      owner,
    )
    expect(continued.json.result.parts[0].text).toBe('echo: later')
    for (const release of releases.splice(0)) release()
  })

  it('the owner reads, streams, continues and cancels its own task; the caller id is compared trimmed', async () => {
    const waiting = (await srv.rpc(sendBody('ask'), A)).json.result.id
    expect((await call('tasks/get', { id: waiting }, { 'X-Workspace-ID': '  ws-a ' })).result.id).toBe(
      waiting,
    )
    const res = await fetch(`${srv.url}/`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...A },
      body: JSON.stringify({ jsonrpc: '2.0', id: 's', method: 'tasks/resubscribe', params: { id: waiting } }),
    })
    expect((await readSse(res))[0].result).toMatchObject({ id: waiting, status: { state: 'input-required' } })
    expect((await call('tasks/cancel', { id: waiting }, A)).result.status.state).toBe('canceled')
  })

  it('a platform caller (no header) that created a task keeps reading it without one', async () => {
    const { json } = await srv.rpc(sendBody('plain'))
    const got = await call('tasks/get', { id: json.result.taskId }, NONE)
    expect(got.result.artifacts[0].parts[0].text).toBe('echo: plain')
  })

  it('never puts the owner on the wire', async () => {
    const { json, status } = await srv.rpc(sendBody('ask', {}, 'w'), A)
    expect(status).toBe(200)
    const id = json.result.id
    const answers = [
      JSON.stringify(json),
      JSON.stringify(await call('tasks/get', { id }, A)),
      JSON.stringify(await call('GetTask', { id }, { ...A, ...V1 })),
      JSON.stringify(await call('tasks/cancel', { id }, A)),
    ]
    for (const text of answers) {
      expect(text).not.toContain('molecule:owner')
      expect(text).not.toContain('ws-a')
    }
  })
})

describe('push config answers never carry the receiver secrets', () => {
  it('set, get and list answer url, id and schemes, without token or credentials (both revisions)', async () => {
    const taskId = (await srv.rpc(sendBody('x'), A)).json.result.taskId
    const config = {
      url: 'http://127.0.0.1:9/hook',
      id: 'sec',
      token: 'tok-secret',
      authentication: { schemes: ['Bearer'], credentials: 'cred-secret' },
    }
    const answers: Json[] = [
      (await call('tasks/pushNotificationConfig/set', { taskId, pushNotificationConfig: config }, A)).result,
      (await call('tasks/pushNotificationConfig/get', { id: taskId, pushNotificationConfigId: 'sec' }, A))
        .result,
      (await call('tasks/pushNotificationConfig/list', { id: taskId }, A)).result[0],
    ]
    for (const answer of answers)
      expect(answer).toEqual({
        taskId,
        pushNotificationConfig: { url: config.url, id: 'sec', authentication: { schemes: ['Bearer'] } },
      })
    const v1 = { ...A, ...V1 }
    const created = await call(
      'CreateTaskPushNotificationConfig',
      {
        taskId,
        id: 'v1',
        url: config.url,
        token: 'tok-secret',
        authentication: { scheme: 'Bearer', credentials: 'cred-secret' },
      },
      v1,
    )
    expect(created.result).toEqual({
      id: 'v1',
      taskId,
      url: config.url,
      authentication: { scheme: 'Bearer' },
    })
    expect((await call('GetTaskPushNotificationConfig', { taskId, id: 'v1' }, v1)).result).toEqual(
      created.result,
    )
    const listed = await call('ListTaskPushNotificationConfigs', { taskId }, v1)
    expect(JSON.stringify(listed)).not.toMatch(/secret/)
    expect(listed.result.configs).toHaveLength(2)
  })
})

describe('ListTasks', () => {
  it('is off by default: -32004 naming the setting', async () => {
    const answer = await call('ListTasks', {}, V1)
    expect(answer.error.code).toBe(-32004)
    expect(answer.error.message).toContain('a2a.list_tasks')
  })

  it('when on, lists only the caller’s own tasks', async () => {
    const listing = await start(executor, { listTasks: true })
    try {
      const mine = [
        (await listing.rpc(sendBody('a1'), A)).json.result.taskId,
        (await listing.rpc(sendBody('a2'), A)).json.result.taskId,
      ]
      const theirs = (await listing.rpc(sendBody('b1'), B)).json.result.taskId
      const nobody = (await listing.rpc(sendBody('n1'))).json.result.taskId
      const list = async (headers: Record<string, string>) =>
        (await listing.rpc({ jsonrpc: '2.0', id: 1, method: 'ListTasks', params: {} }, { ...V1, ...headers }))
          .json.result
      expect((await list(A)).tasks.map((t: Json) => t.id)).toEqual([...mine].reverse())
      expect((await list(A)).totalSize).toBe(2)
      expect((await list(B)).tasks.map((t: Json) => t.id)).toEqual([theirs])
      expect((await list(NONE)).tasks.map((t: Json) => t.id)).toEqual([nobody])
      // Another caller's task id as a page cursor is refused like a stale one, revealing nothing.
      const cursor = Buffer.from(`after:${theirs}`).toString('base64url')
      const stale = await listing.rpc(
        { jsonrpc: '2.0', id: 2, method: 'ListTasks', params: { pageToken: cursor } },
        { ...V1, ...A },
      )
      expect(stale.json.error.code).toBe(-32602)
    } finally {
      await listing.close()
    }
  })
})

describe('the owner survives the store', () => {
  /** A store that keeps only the JSON of each task, as a database would. */
  function jsonStore(): TaskStore & { raw: Map<string, string> } {
    const raw = new Map<string, string>()
    return {
      raw,
      get: (id) => {
        const text = raw.get(id)
        return text === undefined ? undefined : (JSON.parse(text) as Task)
      },
      set: (task) => {
        raw.set(task.id, JSON.stringify(task))
      },
      delete: (id) => {
        raw.delete(id)
      },
    }
  }

  it('a custom store that only knows get/set/delete of Task JSON still enforces access', async () => {
    const store = jsonStore()
    const custom = await start(executor, { taskStore: store })
    try {
      const done = (await custom.rpc(sendBody('hi'), A)).json.result.taskId
      const waiting = (await custom.rpc(sendBody('ask'), A)).json.result.id
      expect(store.raw.get(done)).toContain('"molecule:owner":"ws-a"')
      for (const id of [done, waiting]) {
        const get = (headers: Record<string, string>) =>
          custom.rpc({ jsonrpc: '2.0', id: 1, method: 'tasks/get', params: { id } }, headers)
        expect((await get(A)).json.result.id).toBe(id)
        expect((await get(A)).json.result).not.toHaveProperty('molecule:owner')
        expect((await get(B)).json.error.code).toBe(-32001)
        expect((await get(NONE)).json.error.code).toBe(-32001)
      }
      const continued = await custom.rpc(
        { ...sendBody('x'), params: { message: { role: 'user', parts: [{ text: 'x' }], taskId: waiting } } },
        B,
      )
      expect(continued.json.error.code).toBe(-32001)
    } finally {
      await custom.close()
    }
  })

  it('a task read back without its owner field opens to nobody (a store that drops unknown fields)', async () => {
    const store = jsonStore()
    const lossy: TaskStore = {
      ...store,
      get: (id) => {
        const task = store.get(id) as (Task & Record<string, unknown>) | undefined
        if (task) delete task['molecule:owner']
        return task
      },
    }
    const custom = await start(executor, { taskStore: lossy })
    try {
      const id = (await custom.rpc(sendBody('hi'))).json.result.taskId
      const got = await custom.rpc({ jsonrpc: '2.0', id: 1, method: 'tasks/get', params: { id } })
      expect(got.json.error.code).toBe(-32001)
    } finally {
      await custom.close()
    }
  })

  it('the default store keeps the owner through the packed archive and the object form, until the TTL', async () => {
    let now = Date.now()
    const store = new InMemoryTaskStore({ sweepIntervalMs: 0, terminalTtlMs: 60_000, now: () => now })
    const srv2 = await start(executor, { taskStore: store })
    try {
      const packed = (await srv2.rpc(sendBody('hi'), A)).json.result.taskId // everyday: packed off-heap
      const object = (
        await srv2.rpc(
          {
            ...sendBody('two parts'),
            params: { message: { role: 'user', parts: [{ text: 'a' }, { text: 'b' }] } },
          },
          A,
        )
      ).json.result.taskId
      const get = async (id: string, headers: Record<string, string>) =>
        (await srv2.rpc({ jsonrpc: '2.0', id: 1, method: 'tasks/get', params: { id } }, headers)).json
      for (const id of [packed, object]) {
        expect((await get(id, A)).result.id).toBe(id)
        expect((await get(id, B)).error.code).toBe(-32001)
        expect((await get(id, NONE)).error.code).toBe(-32001)
      }
      now += 61_000
      for (const id of [packed, object]) expect((await get(id, A)).error.code).toBe(-32001)
    } finally {
      await srv2.close()
    }
  })
})

describe('the executor knows its caller', () => {
  it('ctx.callerId is the X-Workspace-ID that created the task, or empty for none', async () => {
    const text = async (headers: Record<string, string>) =>
      (await srv.rpc(sendBody('who'), headers)).json.result.parts[0].text as string
    expect(await text(A)).toBe('caller: [ws-a]')
    expect(await text(NONE)).toBe('caller: []')
  })
})
