import type { Message } from '@molecule/adapter-core'
import type { Task, TaskState } from '@molecule/adapter-core/a2a'
import { describe, expect, it } from 'vitest'
import { InMemoryTaskStore } from './task-store.js'

let clock = Date.now()
const task = (id: string, state: TaskState = 'completed', contextId = 'c'): Task => ({
  kind: 'task',
  id,
  contextId,
  status: { state, timestamp: new Date(clock).toISOString() },
})

/** A finished task of the everyday shape the store packs: one user text answered by one agent text. */
function everyday(id: string, contextId: string, text = 'hi', timestamp = new Date().toISOString()): Task {
  const reply: Message = {
    kind: 'message',
    messageId: `${id}-r`,
    role: 'agent',
    parts: [{ kind: 'text', text: `echo: ${text}` }],
    taskId: id,
    contextId,
  }
  const request: Message = {
    kind: 'message',
    messageId: `${id}-q`,
    role: 'user',
    parts: [{ kind: 'text', text }],
    contextId,
    taskId: id,
  }
  return {
    kind: 'task',
    id,
    contextId,
    status: { state: 'completed', message: reply, timestamp },
    history: [request, reply],
  }
}

describe('InMemoryTaskStore', () => {
  it('evicts the least recently used task beyond maxEntries', () => {
    clock = Date.now()
    const store = new InMemoryTaskStore({ maxEntries: 3, sweepIntervalMs: 0 })
    for (const id of ['a', 'b', 'c']) store.set(task(id))
    store.get('a') // a is now most recent; b is the oldest
    store.set(task('d'))
    expect(store.size).toBe(3)
    expect(store.get('b')).toBeUndefined()
    expect(store.get('a')?.id).toBe('a')
  })

  it('expires terminal tasks after the TTL but keeps running ones', () => {
    clock = 1_000
    let now = clock
    const store = new InMemoryTaskStore({ terminalTtlMs: 100, sweepIntervalMs: 0, now: () => now })
    store.set(task('done', 'completed'))
    store.set(task('busy', 'working'))
    store.set(task('waiting', 'input-required'))
    now += 99
    expect(store.get('done')).toBeDefined()
    now += 2
    expect(store.get('done')).toBeUndefined()
    store.sweep()
    expect(store.size).toBe(2)
    expect(store.get('busy')).toBeDefined()
  })

  it('lists newest first, filtered by context, skipping expired', () => {
    clock = 0
    let now = 0
    const store = new InMemoryTaskStore({ terminalTtlMs: 10, sweepIntervalMs: 0, now: () => now })
    store.set(task('old', 'completed', 'x'))
    now = 20
    clock = 20
    store.set(task('t1', 'working', 'x'))
    store.set(task('t2', 'working', 'y'))
    store.set(task('t3', 'completed', 'x'))
    expect(store.list({ limit: 10 }).map((t) => t.id)).toEqual(['t3', 't2', 't1'])
    expect(store.list({ limit: 10, contextId: 'x' }).map((t) => t.id)).toEqual(['t3', 't1'])
    expect(store.list({ limit: 1 }).map((t) => t.id)).toEqual(['t3'])
  })

  it('stays bounded across 50k tasks', () => {
    clock = Date.now()
    const store = new InMemoryTaskStore({ maxEntries: 1000, sweepIntervalMs: 0 })
    for (let i = 0; i < 50_000; i++) {
      store.set(task(`t${i}`))
      expect(store.size).toBeLessThanOrEqual(1000)
    }
    expect(store.size).toBeGreaterThan(900)
    expect(store.get('t49999')).toBeDefined()
    expect(store.get('t0')).toBeUndefined()
    store.close()
  })

  it('keeps an everyday finished task compactly and reads it back identical, key order included', () => {
    const store = new InMemoryTaskStore({ sweepIntervalMs: 0 })
    const finished = everyday('t', 'c')
    const [request, reply] = finished.history as [Message, Message]
    const snapshot = JSON.stringify(finished)
    store.set(finished)
    const read = store.get('t')
    expect(read).not.toBe(finished)
    expect(JSON.stringify(read)).toBe(snapshot)
    expect(JSON.stringify(store.list({ limit: 1 })[0])).toBe(snapshot)

    // Anything beyond the everyday shape is kept as given.
    const variants: Task[] = [
      { ...finished, id: 'meta', metadata: { k: 1 } },
      { ...finished, id: 'art', artifacts: [{ artifactId: 'a', parts: [{ kind: 'text', text: 'x' }] }] },
      {
        ...finished,
        id: 'part',
        history: [{ ...request, parts: [{ kind: 'text', text: 'hi', metadata: {} }] }, reply],
      },
      { ...finished, id: 'extra', history: [{ ...request, extensions: ['e'] }, reply] },
      { ...finished, id: 'other-task', history: [request, reply] },
      { ...finished, id: 'running', status: { ...finished.status, state: 'input-required' } },
    ]
    for (const v of variants) {
      store.set(v)
      expect(store.get(v.id)).toBe(v)
    }
    store.close()
  })

  it('keeps finished everyday tasks in the archive: TTL, byte budget, and one newest-first list with the rest', () => {
    let now = Date.parse('2026-01-01T00:00:00Z')
    const at = (ms: number) => new Date(ms).toISOString()
    const store = new InMemoryTaskStore({ terminalTtlMs: 1000, sweepIntervalMs: 0, now: () => now })
    store.set(everyday('p1', 'x', 'hi', at(now)))
    store.set({
      kind: 'task',
      id: 'o1',
      contextId: 'x',
      status: { state: 'input-required', timestamp: at(now) },
    })
    store.set(everyday('p2', 'y', 'hi', at(now)))
    store.set(everyday('p3', 'x', 'hi', at(now)))
    expect(store.list({ limit: 10 }).map((t) => t.id)).toEqual(['p3', 'p2', 'o1', 'p1'])
    expect(store.list({ limit: 2, contextId: 'x' }).map((t) => t.id)).toEqual(['p3', 'o1'])
    // The interrupted task is continued and finishes: it moves to the archive, stored once.
    store.set(everyday('o1', 'x', 'hi', at(now)))
    expect(store.get('o1')?.status.state).toBe('completed')
    expect(store.size).toBe(4)
    now += 1000
    expect(store.get('p1')).toBeUndefined()
    store.sweep()
    expect(store.size).toBe(0)

    const small = new InMemoryTaskStore({ maxArchiveBytes: 64 * 1024, sweepIntervalMs: 0 })
    const long = 'z'.repeat(1000)
    for (let i = 0; i < 1000; i++) small.set(everyday(`t${i}`, 'c', long))
    expect(small.size).toBeGreaterThan(20)
    expect(small.size).toBeLessThan(64)
    expect(small.get('t999')?.history?.[0]?.parts).toEqual([{ kind: 'text', text: long }])
    // Too big for the archive: kept as an object instead, still bounded by maxEntries.
    const huge = everyday('huge', 'c', 'h'.repeat(20_000))
    small.set(huge)
    expect(small.get('huge')).toBe(huge)
    store.close()
    small.close()
  })
})
