import type { Task, TaskState } from '@molecule/adapter-core'
import { describe, expect, it } from 'vitest'
import { InMemoryTaskStore } from './task-store.js'

let clock = Date.now()
const task = (id: string, state: TaskState = 'completed', contextId = 'c'): Task => ({
  kind: 'task',
  id,
  contextId,
  status: { state, timestamp: new Date(clock).toISOString() },
})

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
})
