import type { ExecuteFn } from '@molecule/adapter-core'
import { describe, expect, it } from 'vitest'
import { InMemoryTaskStore, type TaskStore } from '../src/index.js'
import { type Json, type Running, sendBody, start } from './helpers.js'

const executor: ExecuteFn = async (ctx, events) => {
  if (ctx.text.startsWith('fail')) return events.fail('no')
  return `echo: ${ctx.text}`
}

async function listTasks(srv: Running, params: Record<string, unknown>): Promise<Json> {
  return (await srv.rpc({ jsonrpc: '2.0', id: 9, method: 'ListTasks', params }, { 'A2A-Version': '1.0' }))
    .json
}

describe('ListTasks paging (v1.0)', () => {
  it('walks every task newest first in pages, with totalSize and an empty token on the last page', async () => {
    const srv = await start(executor, { listTasks: true })
    try {
      const ids: string[] = []
      for (let i = 0; i < 5; i++) ids.push((await srv.rpc(sendBody(`t${i}`, {}, i))).json.result.taskId)
      const seen: string[] = []
      let token = ''
      const sizes: number[] = []
      for (let page = 0; page < 10; page++) {
        const { result } = await listTasks(srv, { pageSize: 2, pageToken: token })
        expect(result).toMatchObject({ pageSize: 2, totalSize: 5 })
        sizes.push(result.tasks.length)
        seen.push(...result.tasks.map((t: Json) => t.id))
        token = result.nextPageToken
        if (token === '') break
      }
      expect(sizes).toEqual([2, 2, 1])
      expect(seen).toEqual([...ids].reverse())
    } finally {
      await srv.close()
    }
  })

  it('pages within the status and statusTimestampAfter filters', async () => {
    const srv = await start(executor, { listTasks: true })
    try {
      for (const text of ['ok1', 'fail1', 'ok2', 'fail2', 'ok3']) await srv.rpc(sendBody(text))
      const first = (await listTasks(srv, { status: 'TASK_STATE_COMPLETED', pageSize: 2 })).result
      expect(first.totalSize).toBe(3)
      expect(first.tasks).toHaveLength(2)
      const second = (
        await listTasks(srv, { status: 'TASK_STATE_COMPLETED', pageSize: 2, pageToken: first.nextPageToken })
      ).result
      expect(second.tasks).toHaveLength(1)
      expect(second.nextPageToken).toBe('')
      expect(second.tasks[0].status.state).toBe('TASK_STATE_COMPLETED')

      const future = new Date(Date.now() + 60_000).toISOString()
      expect((await listTasks(srv, { statusTimestampAfter: future })).result).toMatchObject({
        tasks: [],
        totalSize: 0,
        nextPageToken: '',
      })
      const past = new Date(Date.now() - 60_000).toISOString()
      expect((await listTasks(srv, { statusTimestampAfter: past })).result.totalSize).toBe(5)
    } finally {
      await srv.close()
    }
  })

  it('refuses tokens it did not issue, tokens whose task is gone, and bad timestamps', async () => {
    const srv = await start(executor, { listTasks: true })
    try {
      for (let i = 0; i < 3; i++) await srv.rpc(sendBody(`t${i}`))
      const bad = await listTasks(srv, { pageToken: 'not-a-token' })
      expect(bad.error).toMatchObject({ code: -32602, message: expect.stringMatching(/pageToken/) })

      // A well-formed cursor naming a task the store no longer has (evicted, expired, never there).
      const gone = Buffer.from('after:no-such-task').toString('base64url')
      const stale = await listTasks(srv, { pageToken: gone })
      expect(stale.error).toMatchObject({ code: -32602, message: expect.stringMatching(/first page/) })

      const ts = await listTasks(srv, { statusTimestampAfter: 'yesterday' })
      expect(ts.error).toMatchObject({ code: -32602, message: expect.stringMatching(/statusTimestampAfter/) })
    } finally {
      await srv.close()
    }
  })
})

describe('running tasks and the store', () => {
  it('lists running tasks first, once, although only finished runs reach the store', async () => {
    const writes: string[] = []
    const store = new InMemoryTaskStore({ sweepIntervalMs: 0 })
    // Stores a copy, as a database would, so the stored state is the state at rest.
    const recording: TaskStore = {
      get: (id) => store.get(id),
      set(task) {
        writes.push(`${task.id} ${task.status.state}`)
        store.set(structuredClone(task))
      },
      delete: (id) => store.delete(id),
      list: (filter) => store.list(filter),
    }
    const releases: (() => void)[] = []
    const executor: ExecuteFn = async (ctx, events) => {
      if (ctx.text === 'ask') return events.inputRequired('which one?')
      if (ctx.text === 'wait') await new Promise<void>((r) => releases.push(r))
      return `got ${ctx.text}`
    }
    const started: string[] = []
    const srv = await start(executor, {
      listTasks: true,
      taskStore: recording,
      onTaskStart: (activity) => started.push(activity.taskId),
    })
    try {
      const done = (await srv.rpc(sendBody('quick', {}, 1))).json.result.taskId
      const asked = (await srv.rpc(sendBody('ask', {}, 2))).json.result.id
      const continued = srv.rpc({
        ...sendBody('wait', {}, 3),
        params: { message: { role: 'user', parts: [{ text: 'wait' }], taskId: asked } },
      })
      const fresh = srv.rpc(sendBody('wait', {}, 4))
      for (let i = 0; i < 100 && releases.length < 2; i++) await new Promise((r) => setTimeout(r, 2))
      const freshId = started.at(-1)
      const listed = (await listTasks(srv, {})).result.tasks
      expect(listed.map((t: Json) => [t.id, t.status.state])).toEqual([
        [freshId, 'TASK_STATE_WORKING'],
        [asked, 'TASK_STATE_WORKING'],
        [done, 'TASK_STATE_COMPLETED'],
      ])
      for (const release of releases) release()
      expect((await continued).json.result.parts[0].text).toBe('got wait')
      expect((await fresh).json.result.parts[0].text).toBe('got wait')
      // One write per finished run, none while running.
      expect(writes).toEqual([
        `${done} completed`,
        `${asked} input-required`,
        `${asked} completed`,
        `${freshId} completed`,
      ])
    } finally {
      await srv.close()
    }
  })
})
