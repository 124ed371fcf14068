import { readFileSync } from 'node:fs'
import type { ExecuteFn } from '@molecule/adapter-core'
import Ajv from 'ajv'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Json, type Running, readSse, sendBody, start } from './helpers.js'

// The A2A v0.3.0 JSON Schema (specification/json/a2a.json at tag v0.3.0).
const schema = JSON.parse(readFileSync(new URL('./fixtures/a2a-v0.3.0.schema.json', import.meta.url), 'utf8'))
const ajv = new Ajv({ strict: false, allErrors: true })
ajv.addSchema(schema, 'a2a')

function validate(definition: string, value: unknown) {
  const check = ajv.getSchema(`a2a#/definitions/${definition}`)
  if (!check) throw new Error(`no definition ${definition}`)
  const ok = check(value)
  expect(ok, `${definition}: ${ajv.errorsText(check.errors)}\n${JSON.stringify(value)}`).toBe(true)
}

const executor: ExecuteFn = (ctx) =>
  (async function* () {
    if (ctx.text === 'ask') {
      yield { type: 'input-required' as const, text: 'Which file?' }
      return
    }
    if (ctx.text === 'bad') {
      yield { type: 'fail' as const, reason: 'cannot do that' }
      return
    }
    yield { type: 'status' as const, text: 'working on it' }
    yield 'chunk-1 '
    yield {
      type: 'artifact' as const,
      artifactId: 'notes',
      name: 'notes',
      parts: [{ kind: 'data', data: { n: 1 } }],
    }
    yield 'chunk-2'
  })()

let srv: Running
beforeAll(async () => {
  srv = await start(executor, {
    cardExtra: { capabilities: { streaming: true, pushNotifications: true } },
    pushNotifications: { allowPrivateTargets: true },
  })
})
afterAll(() => srv.close())

describe('emitted v0.3 objects validate against the A2A v0.3.0 JSON Schema', () => {
  it('the validator rejects what the spec forbids (guards against a vacuous check)', () => {
    const check = ajv.getSchema('a2a#/definitions/Task')
    expect(check?.({ kind: 'task', id: 't', contextId: 'c', status: { state: 'done' } })).toBe(false)
    expect(check?.({ kind: 'task', id: 't', status: { state: 'completed' } })).toBe(false)
    expect(check?.({ kind: 'task', id: 't', contextId: 'c', status: { state: 'completed' } })).toBe(true)
  })

  it('agent card (both well-known paths)', async () => {
    for (const path of ['/.well-known/agent-card.json', '/.well-known/agent.json']) {
      const card = (await (await fetch(`${srv.url}${path}`)).json()) as Json
      validate('AgentCard', card)
    }
  })

  it('message/send replies, tasks/get tasks (completed, input-required, failed)', async () => {
    const { json } = await srv.rpc(sendBody('hello'))
    validate('SendMessageSuccessResponse', json)
    validate('Message', json.result)
    for (const text of ['hello', 'ask', 'bad']) {
      const sent = await srv.rpc(sendBody(text))
      validate('SendMessageResponse', sent.json)
      const taskId = sent.json.result.taskId ?? sent.json.result.id
      const got = await srv.rpc({ jsonrpc: '2.0', id: 2, method: 'tasks/get', params: { id: taskId } })
      validate('GetTaskSuccessResponse', got.json)
      validate('Task', got.json.result)
    }
  })

  it('message/stream events', async () => {
    const res = await fetch(`${srv.url}/`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ...sendBody('stream'), method: 'message/stream' }),
    })
    const events = await readSse(res)
    expect(events.length).toBeGreaterThanOrEqual(5)
    for (const ev of events) validate('SendStreamingMessageSuccessResponse', ev)
    expect(events.map((e) => e.result.kind)).toEqual([
      'task',
      'status-update',
      'status-update',
      'artifact-update',
      'artifact-update',
      'artifact-update',
      'status-update',
    ])
  })

  it('cancel result, push config set/get/list, and error responses', async () => {
    const sent = await srv.rpc(sendBody('ask'))
    const taskId = sent.json.result.id
    const setRes = await srv.rpc({
      jsonrpc: '2.0',
      id: 3,
      method: 'tasks/pushNotificationConfig/set',
      params: { taskId, pushNotificationConfig: { url: 'http://127.0.0.1:9/hook', token: 't' } },
    })
    validate('SetTaskPushNotificationConfigSuccessResponse', setRes.json)
    const getRes = await srv.rpc({
      jsonrpc: '2.0',
      id: 4,
      method: 'tasks/pushNotificationConfig/get',
      params: { id: taskId },
    })
    validate('GetTaskPushNotificationConfigSuccessResponse', getRes.json)
    const listRes = await srv.rpc({
      jsonrpc: '2.0',
      id: 5,
      method: 'tasks/pushNotificationConfig/list',
      params: { id: taskId },
    })
    validate('ListTaskPushNotificationConfigSuccessResponse', listRes.json)
    const cancel = await srv.rpc({ jsonrpc: '2.0', id: 6, method: 'tasks/cancel', params: { id: taskId } })
    validate('CancelTaskSuccessResponse', cancel.json)
    expect(cancel.json.result.status.state).toBe('canceled')
    for (const body of [
      '{',
      { jsonrpc: '2.0', id: 7, method: 'nope' },
      { jsonrpc: '2.0', id: 8, method: 'tasks/get', params: { id: 'x' } },
    ])
      validate('JSONRPCErrorResponse', (await srv.rpc(body)).json)
  })
})
