import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'
import type { ExecuteFn } from '@molecule/adapter-core'
import { describe, expect, it } from 'vitest'
import { InMemoryTaskStore } from '../src/index.js'
import { type Json, sendBody, start, tick } from './helpers.js'

const KiB = 1024
const MiB = 1024 * KiB

function withParts(parts: unknown[], id: number | string = 1) {
  return { jsonrpc: '2.0', id, method: 'message/send', params: { message: { role: 'user', parts } } }
}

describe('maxPartBytes', () => {
  it('refuses an inbound part over 256 KiB with -32602 naming the field and the limit; runs nothing', async () => {
    const srv = await start(undefined, { bodyLimitBytes: 4 * MiB })
    try {
      const over = 'x'.repeat(256 * KiB + 1)
      const cases: [unknown[], string][] = [
        [[{ kind: 'text', text: over }], 'params.message.parts[0].text'],
        [[{ text: 'fine' }, { text: over }], 'params.message.parts[1].text'],
        [[{ text: '€'.repeat(90_000) }], 'params.message.parts[0].text'], // 270,000 UTF-8 bytes
        [
          [{ kind: 'file', file: { bytes: over, mimeType: 'text/plain' } }],
          'params.message.parts[0].file.bytes',
        ],
        [[{ kind: 'data', data: { blob: over } }], 'params.message.parts[0].data'],
      ]
      for (const [parts, field] of cases) {
        const { json } = await srv.rpc(withParts(parts))
        expect(json.error.code).toBe(-32602)
        expect(json.error.message).toContain(`${field} is larger than 262144 bytes`)
        const streamed = await srv.rpc({ ...withParts(parts), method: 'message/stream' })
        expect(streamed.json.error.message).toContain(field)
      }
      expect(srv.server.activeTaskCount()).toBe(0)
      const atLimit = await srv.rpc(withParts([{ text: 'x'.repeat(256 * KiB - 6) }]))
      expect(atLimit.json.result.kind).toBe('message')
    } finally {
      await srv.close()
    }
  })

  it('is an option', async () => {
    const srv = await start(undefined, { maxPartBytes: 10 })
    try {
      expect((await srv.rpc(withParts([{ text: 'x'.repeat(11) }]))).json.error.message).toContain(
        'larger than 10 bytes',
      )
      expect((await srv.rpc(withParts([{ text: 'x'.repeat(10) }]))).json.error).toBeUndefined()
    } finally {
      await srv.close()
    }
  })
})

describe('concurrent tasks', () => {
  it('the 65th task waits for a slot (FIFO); beyond the queue HTTP 503 with Retry-After and -32603 busy', async () => {
    const started: string[] = []
    const gates = new Map<string, () => void>()
    const executor: ExecuteFn = async (ctx) => {
      started.push(ctx.text)
      await new Promise<void>((r) => gates.set(ctx.text, r))
      return `done ${ctx.text}`
    }
    const srv = await start(executor, { maxQueuedTasks: 2 })
    try {
      const pending = new Map<string, Promise<{ status: number; json: Json }>>()
      const send = (text: string) => pending.set(text, srv.rpc(sendBody(text, {}, text)))
      for (let i = 0; i < 64; i++) send(`t${i}`)
      for (let i = 0; i < 500 && srv.server.activeTaskCount() < 64; i++) await tick(5)
      expect(srv.server.activeTaskCount()).toBe(64)

      send('t64')
      send('t65')
      await tick(50)
      expect(srv.server.activeTaskCount()).toBe(64)
      expect(started).not.toContain('t64')

      const refused = await srv.rpc(sendBody('t66', {}, 't66'))
      expect(refused.status).toBe(503)
      expect(refused.json).toMatchObject({ jsonrpc: '2.0', id: 't66', error: { code: -32603 } })
      expect(refused.json.error.message).toMatch(/^busy: .*; retry after 5 s$/)
      const raw = await fetch(`${srv.url}/`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(sendBody('t67')),
      })
      expect(raw.status).toBe(503)
      expect(raw.headers.get('retry-after')).toBe('5')
      await raw.body?.cancel()

      gates.get('t0')?.()
      expect((await pending.get('t0'))?.json.result.parts[0].text).toBe('done t0')
      for (let i = 0; i < 200 && !started.includes('t64'); i++) await tick(5)
      expect(started.slice(64)).toEqual(['t64'])
      expect(srv.server.activeTaskCount()).toBe(64)

      for (let i = 0; i < 200 && gates.size < 66; i++) {
        for (const [text, open] of gates) if (text !== 't0') open()
        await tick(5)
      }
      for (const [, open] of gates) open()
      const answers = await Promise.all(pending.values())
      expect(answers.every((a) => a.status === 200 && a.json.result.kind === 'message')).toBe(true)
      expect(started.slice(64)).toEqual(['t64', 't65'])
    } finally {
      await srv.close()
    }
  })

  it('drain refuses the tasks waiting for a slot', async () => {
    const executor: ExecuteFn = async (ctx) => {
      await new Promise<void>((r) => ctx.signal.addEventListener('abort', () => r()))
    }
    const srv = await start(executor, { maxConcurrentTasks: 1 })
    try {
      const running = srv.rpc(sendBody('first'))
      for (let i = 0; i < 100 && srv.server.activeTaskCount() < 1; i++) await tick(2)
      const waiting = srv.rpc(sendBody('second'))
      await tick(20)
      await srv.server.drain({ graceMs: 10 })
      expect((await waiting).status).toBe(503)
      expect((await running).json.result.status.state).toBe('canceled')
    } finally {
      await srv.close()
    }
  })
})

describe('memory', () => {
  it('200 messages of 1 MB keep the store within its byte budget and RSS growth bounded', async () => {
    setFlagsFromString('--expose-gc')
    const gc = runInNewContext('gc') as () => void
    const store = new InMemoryTaskStore({ sweepIntervalMs: 0 }) // default budget: 64 MiB
    const budget = 64 * MiB
    const srv = await start(async () => 'ok', { taskStore: store, bodyLimitBytes: 2 * MiB })
    try {
      // 4 parts of 250,000 bytes: a 1 MB message within the 256 KiB part limit.
      const part = { kind: 'text', text: 'x'.repeat(250_000) }
      const body = JSON.stringify(withParts([part, part, part, part]))
      expect((await srv.rpc(body)).json.result.kind).toBe('message')
      gc()
      const before = process.memoryUsage()
      for (let i = 0; i < 200; i += 4) {
        const batch = await Promise.all([0, 1, 2, 3].map(() => srv.rpc(body)))
        for (const { json } of batch) expect(json.result.parts[0].text).toBe('ok')
        expect(store.bytes).toBeLessThanOrEqual(budget)
      }
      gc()
      await tick(50)
      gc()
      const after = process.memoryUsage()
      const rss = after.rss - before.rss
      const heap = after.heapUsed - before.heapUsed
      const mib = (n: number) => `${(n / MiB).toFixed(1)} MiB`
      console.log(
        `200 x 1 MB messages: store ${mib(store.bytes)} in ${store.size} tasks (budget 64 MiB); heap grew ${mib(heap)}, RSS ${mib(rss)}`,
      )
      expect(store.bytes).toBeGreaterThan(budget / 2)
      expect(store.size).toBeLessThan(70)
      // The heap holds what the store holds; RSS adds the allocator's and V8's slack on top (about
      // 70 MiB in a fresh process, whatever the budget), so its bound is loose.
      expect(heap).toBeLessThan(budget + 16 * MiB)
      expect(rss).toBeLessThan(2 * budget + 64 * MiB)
    } finally {
      await srv.close()
    }
  })
})
