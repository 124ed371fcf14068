import { describe, expect, it } from 'vitest'
import { LiveRuns } from './live-runs.js'

describe('LiveRuns', () => {
  it('answers like a Map of the runs in progress', () => {
    const runs = new LiveRuns<string>()
    runs.set('a', 'run a')
    runs.set('b', 'run b')
    expect(runs.size).toBe(2)
    expect(runs.get('a')).toBe('run a')
    expect(runs.has('b')).toBe(true)
    expect(runs.delete('a')).toBe(true)
    expect(runs.delete('a')).toBe(false)
    expect(runs.delete('never')).toBe(false)
    expect(runs.get('a')).toBeUndefined()
    expect(runs.has('a')).toBe(false)
    expect(runs.size).toBe(1)
    expect([...runs.values()]).toEqual(['run b'])
  })

  it('replaces a run in place and takes a finished id again, last in order', () => {
    const runs = new LiveRuns<string>()
    runs.set('a', 'first run of a')
    runs.set('b', 'run b')
    runs.set('a', 'a replaced')
    expect(runs.size).toBe(2)
    expect([...runs.values()]).toEqual(['a replaced', 'run b'])
    runs.delete('a')
    runs.set('a', 'a continued')
    expect(runs.size).toBe(2)
    expect([...runs.values()]).toEqual(['run b', 'a continued'])
  })

  it('keeps long runs through many short ones, holding a bounded number of finished ids', () => {
    const runs = new LiveRuns<number>()
    for (let i = 0; i < 5; i++) runs.set(`long-${i}`, 100 + i)
    let most = 0
    for (let i = 0; i < 10_000; i++) {
      runs.set(`short-${i}`, i)
      if (i % 3 === 0) runs.set(`pair-${i}`, i)
      runs.delete(`short-${i}`)
      if (i % 3 === 0) runs.delete(`pair-${i}`)
      most = Math.max(most, runs.retained)
    }
    expect(runs.size).toBe(5)
    expect([...runs.values()]).toEqual([100, 101, 102, 103, 104])
    for (let i = 0; i < 5; i++) expect(runs.get(`long-${i}`)).toBe(100 + i)
    expect(runs.get('short-9999')).toBeUndefined()
    // Live ones plus at most 64 finished ids (and the two being added in one step).
    expect(most).toBeLessThanOrEqual(5 + 64 + 2)
  })

  it('sweeps no more finished ids than live ones when many run at once', () => {
    const runs = new LiveRuns<number>()
    for (let i = 0; i < 500; i++) runs.set(`t-${i}`, i)
    for (let i = 0; i < 400; i++) runs.delete(`t-${i}`)
    expect(runs.size).toBe(100)
    expect(runs.retained).toBeLessThanOrEqual(100 + 100)
    expect([...runs.values()]).toEqual(Array.from({ length: 100 }, (_, i) => 400 + i))
  })
})
