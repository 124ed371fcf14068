import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Running, sendBody, start } from './helpers.js'

// An agent whose card says `capabilities.streaming: false` must refuse the streaming methods with
// -32004 (UnsupportedOperationError), as the A2A SDKs' request handlers do, instead of streaming anyway.
describe('capabilities.streaming false', () => {
  let srv: Running
  beforeAll(async () => {
    srv = await start(undefined, {
      cardExtra: { capabilities: { streaming: false, pushNotifications: false } },
    })
  })
  afterAll(() => srv.close())

  it.each([
    ['message/stream', () => ({ ...sendBody('hi', {}, 'a'), method: 'message/stream' })],
    ['SendStreamingMessage', () => ({ ...sendBody('hi', {}, 'b'), method: 'SendStreamingMessage' })],
    [
      'tasks/resubscribe',
      () => ({ jsonrpc: '2.0', id: 'c', method: 'tasks/resubscribe', params: { id: 'x' } }),
    ],
    ['SubscribeToTask', () => ({ jsonrpc: '2.0', id: 'd', method: 'SubscribeToTask', params: { id: 'x' } })],
  ])('%s answers -32004 as a JSON-RPC error with HTTP 200 and runs no task', async (_method, body) => {
    const sent = body()
    const res = await srv.rpc(sent)
    expect(res.status).toBe(200)
    expect(res.json).toMatchObject({ jsonrpc: '2.0', id: sent.id, error: { code: -32004 } })
    expect(typeof res.json.error.message).toBe('string')
    expect(srv.server.activeTaskCount()).toBe(0)
  })

  it('message/send still works', async () => {
    const res = await srv.rpc(sendBody('hi'))
    expect(res.json.result).toMatchObject({ kind: 'message', parts: [{ kind: 'text', text: 'echo: hi' }] })
  })
})

// An unexpected failure inside a method (here: the task store throwing) is still a JSON-RPC error response
// carried with HTTP 200 — as the Python a2a-sdk answers — so clients that raise on a non-2xx status (the
// Python A2A client) see the -32603 error object and its request id, not a bare HTTP failure.
describe('an internal error in a method', () => {
  it('answers -32603 with the request id and HTTP 200, and the server keeps serving', async () => {
    const broken = {
      get() {
        throw new Error('store is down')
      },
      set() {},
      delete() {},
    }
    const srv = await start(undefined, { taskStore: broken })
    try {
      const res = await srv.rpc({ jsonrpc: '2.0', id: 'g', method: 'tasks/get', params: { id: 'x' } })
      expect(res.status).toBe(200)
      expect(res.json).toEqual({
        jsonrpc: '2.0',
        id: 'g',
        error: { code: -32603, message: 'Internal error' },
      })
      expect((await srv.rpc(sendBody('still here'))).json.result.parts[0].text).toBe('echo: still here')
    } finally {
      await srv.close()
    }
  })
})
