import { Role, TaskState } from '@a2a-js/sdk'
import { Client, ClientFactory } from '@a2a-js/sdk/client'
import { LegacyJsonRpcTransport } from '@a2a-js/sdk/compat/v0_3/client'
import { sdkTextRequest } from '@molecule/test-support'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createA2AServer } from '../src/index.js'
import { type Json, type Running, start, testCard } from './helpers.js'

/** The official SDK's clients of one server: v1.0 (the default transport) and v0.3 (the legacy JSON-RPC one). */
async function clientsOf(srv: Running): Promise<Record<'v1.0' | 'v0.3', Client>> {
  const v1 = await new ClientFactory().createFromUrl(srv.url)
  const v03 = new Client(new LegacyJsonRpcTransport({ endpoint: `${srv.url}/` }), await v1.getAgentCard())
  return { 'v1.0': v1, 'v0.3': v03 }
}

function textOf(parts: Json[] | undefined): string {
  return (parts ?? []).map((p: Json) => p.content?.value ?? p.text ?? '').join('')
}

let asTasks: Running
let asMessages: Running
let taskClients: Record<'v1.0' | 'v0.3', Client>
let messageClients: Record<'v1.0' | 'v0.3', Client>

beforeAll(async () => {
  asTasks = await start(undefined, { sendResult: 'task' })
  asMessages = await start()
  taskClients = await clientsOf(asTasks)
  messageClients = await clientsOf(asMessages)
})
afterAll(async () => {
  await asTasks.close()
  await asMessages.close()
})

describe.each(['v1.0', 'v0.3'] as const)('sendResult with the @a2a-js/sdk client %s', (version) => {
  it("'task': sendMessage gets the completed task, and its id works for getTask", async () => {
    const client = taskClients[version]
    const task: Json = await client.sendMessage(sdkTextRequest('hi'))
    expect(task.id).toBeTruthy()
    expect(task.status.state).toBe(TaskState.TASK_STATE_COMPLETED)
    expect(textOf(task.status.message?.parts)).toBe('echo: hi')
    expect(textOf(task.artifacts?.[0]?.parts)).toBe('echo: hi')
    expect(task.history?.map((m: Json) => m.role)).toEqual([Role.ROLE_USER, Role.ROLE_AGENT])
    const again: Json = await client.getTask({ tenant: '', id: task.id, historyLength: 10 })
    expect(again.id).toBe(task.id)
    expect(again.status.state).toBe(TaskState.TASK_STATE_COMPLETED)
    expect(textOf(again.artifacts?.[0]?.parts)).toBe('echo: hi')
  })

  it("'message' (the default): sendMessage gets the agent's reply", async () => {
    const reply: Json = await messageClients[version].sendMessage(sdkTextRequest('hi'))
    expect(reply.role).toBe(Role.ROLE_AGENT)
    expect(textOf(reply.parts)).toBe('echo: hi')
    expect(reply.taskId).toBeTruthy()
    expect(reply.status).toBeUndefined()
  })
})

describe('sendResult option', () => {
  it('answers raw v0.3 and v1.0 sends with the task when set to task', async () => {
    const message = { role: 'user', messageId: 'm1', parts: [{ kind: 'text', text: 'raw' }] }
    const v03 = await asTasks.rpc({ jsonrpc: '2.0', id: 1, method: 'message/send', params: { message } })
    expect(v03.json.result).toMatchObject({ kind: 'task', status: { state: 'completed' } })
    const v10 = await asTasks.rpc(
      {
        jsonrpc: '2.0',
        id: 2,
        method: 'SendMessage',
        params: { message: { role: 'ROLE_USER', messageId: 'm2', parts: [{ text: 'raw' }] } },
      },
      { 'A2A-Version': '1.0' },
    )
    expect(v10.json.result.task).toMatchObject({ status: { state: 'TASK_STATE_COMPLETED' } })
    expect(v10.json.result.message).toBeUndefined()
  })

  it('refuses anything but message or task, naming the option', () => {
    const make = () =>
      createA2AServer({
        card: testCard('http://127.0.0.1:1/'),
        executor: async () => 'x',
        sendResult: 'reply' as 'message',
      })
    expect(make).toThrow('sendResult: got "reply", expected "message" or "task".')
    expect(make).toThrow(expect.objectContaining({ code: 'A2A_SEND_RESULT_INVALID', path: 'sendResult' }))
  })
})
