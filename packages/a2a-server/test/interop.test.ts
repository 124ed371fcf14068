import { Role, TaskState } from '@a2a-js/sdk'
import { Client, ClientFactory } from '@a2a-js/sdk/client'
import { LegacyJsonRpcTransport } from '@a2a-js/sdk/compat/v0_3/client'
import type { ExecuteFn } from '@molecule/adapter-core'
import { sdkTextRequest } from '@molecule/test-support'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Json, type Running, start } from './helpers.js'

const request = (text: string, taskId = '') => sdkTextRequest(text, { taskId })

function textOf(result: Json): string {
  const parts = result.parts ?? result.status?.message?.parts ?? []
  return parts.map((p: Json) => p.content?.value ?? p.text ?? '').join('')
}

// Streams three chunks; waits on the signal when asked to ("wait"), so cancel can be tested.
const streamer: ExecuteFn = (ctx) =>
  (async function* () {
    if (ctx.text === 'wait') {
      await new Promise<void>((resolve) => ctx.signal.addEventListener('abort', () => resolve()))
      return
    }
    yield { type: 'status' as const, text: 'thinking' }
    for (const chunk of ['one ', 'two ', 'three']) yield chunk
  })()

let srv: Running
let v1: Client
let v03: Client

beforeAll(async () => {
  srv = await start(streamer)
  v1 = await new ClientFactory().createFromUrl(srv.url)
  const card = await new ClientFactory().createFromUrl(srv.url).then((c) => c.getAgentCard())
  v03 = new Client(new LegacyJsonRpcTransport({ endpoint: `${srv.url}/` }), card)
})
afterAll(() => srv.close())

describe.each([
  ['v1.0', () => v1],
  ['v0.3', () => v03],
])('@a2a-js/sdk client %s', (version, client) => {
  it('picks the expected protocol version', () => {
    expect(client().protocolVersion).toBe(version === 'v1.0' ? '1.0' : '0.3')
  })

  it('message send answers with the agent reply', async () => {
    const result: Json = await client().sendMessage(request('hi'))
    expect(textOf(result)).toBe('one two three')
    expect(result.role).toBe(Role.ROLE_AGENT)
    expect(result.taskId).toBeTruthy()
  })

  it('stream runs to completion with status, artifact chunks and a final state', async () => {
    const events: Json[] = []
    for await (const ev of client().sendMessageStream(request('go'))) events.push(ev.payload)
    const cases = events.map((e) => e?.$case)
    expect(cases[0]).toBe('task')
    expect(cases.filter((c) => c === 'artifactUpdate')).toHaveLength(3)
    const last = events.at(-1)
    expect(last.$case).toBe('statusUpdate')
    expect(last.value.status.state).toBe(TaskState.TASK_STATE_COMPLETED)
    expect(textOf(last.value.status.message)).toBe('one two three')
  })

  it('get returns the finished task with its artifact and history', async () => {
    const reply: Json = await client().sendMessage(request('again'))
    const task: Json = await client().getTask({ tenant: '', id: reply.taskId, historyLength: 10 })
    expect(task.status.state).toBe(TaskState.TASK_STATE_COMPLETED)
    expect(textOf(task.artifacts[0])).toBe('one two three')
    expect(task.history).toHaveLength(2)
  })

  it('cancel stops a running task', async () => {
    const started: Json[] = []
    const stream = client().sendMessageStream(request('wait'))
    const first = await stream.next()
    started.push(first.value?.payload)
    const taskId = started[0].value.id
    const canceled: Json = await client().cancelTask({ tenant: '', id: taskId, metadata: undefined })
    expect(canceled.status.state).toBe(TaskState.TASK_STATE_CANCELED)
    const rest: Json[] = []
    for await (const ev of stream) rest.push(ev.payload)
    expect(rest.at(-1).value.status.state).toBe(TaskState.TASK_STATE_CANCELED)
    await expect(client().cancelTask({ tenant: '', id: taskId, metadata: undefined })).rejects.toThrow()
  })

  it('resubscribe to a running task gets its snapshot, then the live events up to the final one', async () => {
    const stream = client().sendMessageStream(request('wait'))
    const first: Json = (await stream.next()).value?.payload
    const taskId = first.value.id
    const again = client().resubscribeTask({ tenant: '', id: taskId })
    const snapshot: Json = (await again.next()).value?.payload
    expect(snapshot.value).toMatchObject({ id: taskId, status: { state: TaskState.TASK_STATE_WORKING } })
    await client().cancelTask({ tenant: '', id: taskId, metadata: undefined })
    const rest: Json[] = []
    for await (const ev of again) rest.push(ev.payload)
    expect(rest.at(-1).value.status.state).toBe(TaskState.TASK_STATE_CANCELED)
    for await (const _ of stream) {
      // drain the original stream too
    }
  })
})

describe('lenient parts over raw JSON-RPC', () => {
  it.each([
    ['type-tagged', [{ type: 'text', text: 'legacy' }]],
    ['untagged', [{ text: 'legacy' }]],
  ])('%s parts are read as text', async (_name, parts) => {
    const echoSrv = await start()
    try {
      const { json } = await echoSrv.rpc({
        jsonrpc: '2.0',
        id: 'x',
        method: 'message/send',
        params: { message: { role: 'user', parts } },
      })
      expect(json.result.kind).toBe('message')
      expect(json.result.parts[0]).toEqual({ kind: 'text', text: 'echo: legacy' })
    } finally {
      await echoSrv.close()
    }
  })

  it('accepts the platform heartbeat shape without jsonrpc, id or messageId', async () => {
    const echoSrv = await start()
    try {
      const { json } = await echoSrv.rpc({
        method: 'message/send',
        params: { message: { role: 'user', parts: [{ type: 'text', text: 'tick' }] } },
      })
      expect(json).toMatchObject({ jsonrpc: '2.0', id: null, result: { parts: [{ text: 'echo: tick' }] } })
    } finally {
      await echoSrv.close()
    }
  })
})
