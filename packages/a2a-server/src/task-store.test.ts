import type { Message } from '@molecule/adapter-core'
import type { Task, TaskState } from '@molecule/adapter-core/a2a'
import { describe, expect, it } from 'vitest'
import { OWNER_FIELD, ownedBy, type StoredTask, withOwner } from './task-owner.js'
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

  it('keeps the owner field of a task in both forms, and loses it only with the task (TTL)', () => {
    let now = Date.parse('2026-01-01T00:00:00Z')
    const stamp = new Date(now).toISOString()
    const store = new InMemoryTaskStore({ terminalTtlMs: 1000, sweepIntervalMs: 0, now: () => now })
    const packed = withOwner(everyday('p', 'c', 'hi', stamp), 'ws-a')
    const none = withOwner(everyday('n', 'c', 'hi', stamp), '')
    const object = withOwner({ ...everyday('o', 'c', 'hi', stamp), metadata: { k: 1 } }, 'ws-b')
    for (const t of [packed, none, object]) store.set(t)
    expect(store.bytes).toBeLessThan(2000) // the everyday tasks are packed records, not objects
    expect(JSON.stringify(store.get('p'))).toBe(JSON.stringify(packed))
    expect((store.get('p') as StoredTask)[OWNER_FIELD]).toBe('ws-a')
    expect((store.get('n') as StoredTask)[OWNER_FIELD]).toBe('')
    expect(ownedBy(store.get('p'), 'ws-a')?.id).toBe('p')
    expect(ownedBy(store.get('p'), '')).toBeUndefined()
    expect(ownedBy(store.get('n'), '')?.id).toBe('n')
    expect(ownedBy(store.get('n'), 'ws-a')).toBeUndefined()
    expect(ownedBy(store.get('o'), 'ws-b')).toEqual({
      ...everyday('o', 'c', 'hi', stamp),
      metadata: { k: 1 },
    })
    const owners = store.list({ limit: 10 }).map((t) => (t as StoredTask)[OWNER_FIELD])
    expect(owners).toEqual(['ws-b', '', 'ws-a'])
    now += 999
    expect(ownedBy(store.get('p'), 'ws-a')).toBeDefined()
    now += 1
    for (const id of ['p', 'n', 'o']) expect(store.get(id)).toBeUndefined()
    store.close()
  })

  it('counts bytes of both forms and keeps them within maxBytes, dropping the oldest finished tasks first', () => {
    clock = Date.now()
    const big = (id: string, state: TaskState = 'completed'): Task => ({
      ...task(id, state),
      history: [
        { kind: 'message', messageId: id, role: 'user', parts: [{ kind: 'text', text: 'b'.repeat(10_000) }] },
      ],
    })
    const size = JSON.stringify(big('x0')).length
    const budget = 4.5 * size
    const store = new InMemoryTaskStore({ maxBytes: budget, sweepIntervalMs: 0 })
    store.set(big('w1', 'input-required'))
    store.set(big('f1'))
    store.set(everyday('e1', 'c'))
    store.set(big('w2', 'auth-required'))
    store.set(big('f2'))
    expect(store.bytes).toBeGreaterThan(4 * size)
    expect(store.bytes).toBeLessThanOrEqual(budget)
    // Over budget: the oldest finished task goes (f1); the packed e1 is newer and stays.
    store.set(big('f3'))
    expect(store.get('f1')).toBeUndefined()
    expect(store.get('e1')).toBeDefined()
    // Next the oldest finished across both forms: e1 (packed), then f2 (object).
    store.set(big('f4'))
    expect(store.get('e1')).toBeUndefined()
    expect(store.get('f2')).toBeUndefined()
    expect(['w1', 'w2', 'f3', 'f4'].map((id) => store.get(id)?.id)).toEqual(['w1', 'w2', 'f3', 'f4'])
    // Tasks waiting for input go only when no finished task is left, the oldest first.
    store.set(big('w3', 'input-required'))
    store.set(big('w4', 'input-required'))
    expect(['f3', 'f4'].map((id) => store.get(id))).toEqual([undefined, undefined])
    store.set(big('w5', 'input-required'))
    expect(['w1', 'w2', 'w3', 'w4', 'w5'].map((id) => store.get(id) !== undefined)).toEqual([
      false,
      true,
      true,
      true,
      true,
    ])
    expect(store.bytes).toBeLessThanOrEqual(budget)
    // Deleting frees the task's bytes.
    const before = store.bytes
    store.delete('w5')
    expect(store.bytes).toBe(before - JSON.stringify(big('w5', 'input-required')).length)
    store.close()
  })

  it('does not keep a single task bigger than the whole budget', () => {
    const store = new InMemoryTaskStore({ maxBytes: 1000, sweepIntervalMs: 0 })
    store.set(task('small'))
    const huge: Task = { ...task('huge'), metadata: { blob: 'h'.repeat(2000) } }
    store.set(huge)
    expect(store.get('huge')).toBeUndefined()
    expect(store.get('small')).toBeDefined()
    store.close()
  })
})
