import { request as httpRequest } from 'node:http'
import type { ExecuteFn } from '@molecule/adapter-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Json, type Running, readSse, sendBody, start, tick } from './helpers.js'

let gate: (() => void) | undefined
// "slow" waits for the test to open the gate; everything else echoes.
const executor: ExecuteFn = (ctx) =>
  (async function* () {
    if (ctx.text === 'slow') {
      yield 'partial '
      await new Promise<void>((r) => {
        gate = r
      })
      yield 'done'
      return
    }
    yield `echo: ${ctx.text}`
  })()

let srv: Running
beforeAll(async () => {
  srv = await start(executor, { bodyLimitBytes: 64 * 1024 })
})
afterAll(() => srv.close())

async function stillServing() {
  const { json } = await srv.rpc(sendBody('alive?'))
  expect(json.result.parts[0].text).toBe('echo: alive?')
}

describe('malformed JSON-RPC gets the spec error and the server keeps serving', () => {
  it.each([
    ['bad JSON', '{"jsonrpc":"2.0",', -32700],
    ['wrong jsonrpc version', { jsonrpc: '1.0', id: 1, method: 'message/send', params: {} }, -32600],
    ['non-object body', '[1,2]', -32600],
    ['string body', '"hello"', -32600],
    ['method not a string', { jsonrpc: '2.0', id: 1, method: 7 }, -32600],
    ['object id', { jsonrpc: '2.0', id: { a: 1 }, method: 'tasks/get', params: { id: 'x' } }, -32600],
    ['unknown method', { jsonrpc: '2.0', id: 1, method: 'tasks/explode', params: {} }, -32601],
    ['params not an object', { jsonrpc: '2.0', id: 1, method: 'message/send', params: [] }, -32602],
    [
      'message without parts',
      { jsonrpc: '2.0', id: 1, method: 'message/send', params: { message: { role: 'user' } } },
      -32602,
    ],
    [
      'bad part',
      {
        jsonrpc: '2.0',
        id: 1,
        method: 'message/send',
        params: { message: { parts: [{ kind: 'text', text: 1 }] } },
      },
      -32602,
    ],
    [
      'bad historyLength',
      { jsonrpc: '2.0', id: 1, method: 'tasks/get', params: { id: 'x', historyLength: -1 } },
      -32602,
    ],
    [
      'unknown task id',
      { jsonrpc: '2.0', id: 1, method: 'tasks/get', params: { id: 'no-such-task' } },
      -32001,
    ],
    [
      'unknown task on cancel',
      { jsonrpc: '2.0', id: 1, method: 'CancelTask', params: { id: 'nope' } },
      -32001,
    ],
    [
      'message for unknown task',
      sendBody('x', {}, 1).params && {
        ...sendBody('x'),
        params: { message: { parts: [{ text: 'x' }], taskId: 'ghost' } },
      },
      -32001,
    ],
    [
      'push config when unsupported',
      { jsonrpc: '2.0', id: 1, method: 'tasks/pushNotificationConfig/list', params: { id: 'x' } },
      -32003,
    ],
    [
      'no acceptable output mode',
      {
        ...sendBody('x'),
        params: { ...sendBody('x').params, configuration: { acceptedOutputModes: ['image/png'] } },
      },
      -32005,
    ],
    [
      'bad acceptedOutputModes',
      {
        ...sendBody('x'),
        params: { ...sendBody('x').params, configuration: { acceptedOutputModes: 'text' } },
      },
      -32602,
    ],
    [
      'extended card not configured',
      { jsonrpc: '2.0', id: 1, method: 'agent/getAuthenticatedExtendedCard' },
      -32007,
    ],
  ])('%s', async (_name, body, code) => {
    const { status, json } = await srv.rpc(body)
    expect(status).toBe(200)
    expect(json.jsonrpc).toBe('2.0')
    expect(json.error.code).toBe(code)
    expect(typeof json.error.message).toBe('string')
    await stillServing()
  })

  it('names the offending field in params errors', async () => {
    const { json } = await srv.rpc({
      jsonrpc: '2.0',
      id: 2,
      method: 'message/send',
      params: { message: { parts: [{ kind: 'text', text: 1 }] } },
    })
    expect(json.error.message).toContain('params.message.parts[0].text')
    expect(json.id).toBe(2)
  })

  it('unsupported A2A-Version gives -32009', async () => {
    const { json } = await srv.rpc(sendBody('v'), { 'A2A-Version': '7.0' })
    expect(json.error.code).toBe(-32009)
  })

  it('an unsupported A2A-Version query parameter gives -32009 too; supported ones are served', async () => {
    const post = async (query: string) => {
      const res = await fetch(`${srv.url}/${query}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(sendBody('v', {}, 'q')),
      })
      return { status: res.status, json: (await res.json()) as Json }
    }
    const refused = await post('?A2A-Version=7.0')
    expect(refused.status).toBe(200)
    expect(refused.json).toMatchObject({ id: 'q', error: { code: -32009 } })
    expect((await post('?A2A-Version=0.3')).json.result.kind).toBe('message')
    expect((await post('?A2A-Version=')).json.result.kind).toBe('message')
  })

  it('oversized body gets HTTP 413 with a JSON-RPC error, with or without content-length', async () => {
    const big = JSON.stringify(sendBody('x'.repeat(70 * 1024)))
    const { status, json } = await srv.rpc(big)
    expect(status).toBe(413)
    expect(json.error.code).toBe(-32600)
    const chunked = await fetch(`${srv.url}/a2a`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: new ReadableStream({
        start(c) {
          for (let i = 0; i < 20; i++) c.enqueue(new TextEncoder().encode('x'.repeat(8 * 1024)))
          c.close()
        },
      }),
      duplex: 'half',
    } as RequestInit)
    expect(chunked.status).toBe(413)
    await stillServing()
  })

  it('cancel of a finished task gives -32002', async () => {
    const { json: sent } = await srv.rpc(sendBody('finish me'))
    const got = await srv.rpc({
      jsonrpc: '2.0',
      id: 2,
      method: 'tasks/get',
      params: { id: sent.result.taskId },
    })
    // A reply-only task exposes its reply as the artifact tasks/get readers look for.
    expect(got.json.result.artifacts).toEqual([
      { artifactId: `${sent.result.taskId}-output`, parts: [{ kind: 'text', text: 'echo: finish me' }] },
    ])
    const { json } = await srv.rpc({
      jsonrpc: '2.0',
      id: 3,
      method: 'tasks/cancel',
      params: { id: sent.result.taskId },
    })
    expect(json.error.code).toBe(-32002)
    const again = await srv.rpc({
      jsonrpc: '2.0',
      id: 4,
      method: 'message/send',
      params: { message: { parts: [{ text: 'more' }], taskId: sent.result.taskId } },
    })
    expect(again.json.error.code).toBe(-32600)
  })

  it('an SSE client leaving mid-stream does not stop the task or the server', async () => {
    const body = JSON.stringify({ ...sendBody('slow'), method: 'message/stream' })
    const taskId = await new Promise<string>((resolve, reject) => {
      const req = httpRequest(
        `${srv.url}/`,
        { method: 'POST', headers: { 'content-type': 'application/json' } },
        (res) => {
          res.setEncoding('utf8')
          let buf = ''
          res.on('data', (chunk: string) => {
            buf += chunk
            const first = buf.split('\n\n')[0]
            if (first?.startsWith('data: ')) {
              resolve(JSON.parse(first.slice(6)).result.id)
              req.destroy()
            }
          })
        },
      )
      req.on('error', () => {})
      req.end(body)
      setTimeout(() => reject(new Error('no first event')), 2000)
    })
    await tick(20)
    await stillServing()
    expect(srv.server.activeTaskCount()).toBe(1)
    gate?.()
    for (let i = 0; i < 50 && srv.server.activeTaskCount() > 0; i++) await tick(5)
    const { json } = await srv.rpc({ jsonrpc: '2.0', id: 5, method: 'tasks/get', params: { id: taskId } })
    expect(json.result.status.state).toBe('completed')
    expect(json.result.artifacts[0].parts[0].text).toBe('partial done')
  })

  it('resubscribe to a finished task streams its snapshot and ends', async () => {
    const { json: sent } = await srv.rpc(sendBody('snap'))
    const res = await fetch(`${srv.url}/`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        jsonrpc: '2.0',
        id: 9,
        method: 'tasks/resubscribe',
        params: { id: sent.result.taskId },
      }),
    })
    expect(res.headers.get('content-type')).toBe('text/event-stream')
    const events = await readSse(res)
    expect(events).toHaveLength(1)
    expect(events[0].result).toMatchObject({ kind: 'task', status: { state: 'completed' } })
  })
})
