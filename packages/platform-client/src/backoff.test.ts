import { describe, expect, it } from 'vitest'
import { backoffDelay, parseRetryAfter, sleep } from './backoff.js'

describe('backoffDelay', () => {
  it('grows exponentially up to the cap, with full jitter below the ceiling', () => {
    const policy = { baseMs: 100, maxMs: 1000 }
    expect(backoffDelay(0, policy, () => 0.999)).toBe(99)
    expect(backoffDelay(2, policy, () => 0.999)).toBe(399)
    expect(backoffDelay(10, policy, () => 0.999)).toBe(999)
    expect(backoffDelay(50, policy, () => 0.5)).toBe(500)
    expect(backoffDelay(3, policy, () => 0)).toBe(0)
  })

  it('spreads delays (jitter) with the real random source', () => {
    const values = new Set(Array.from({ length: 50 }, () => backoffDelay(5, { baseMs: 100, maxMs: 10_000 })))
    expect(values.size).toBeGreaterThan(10)
    for (const v of values) expect(v).toBeLessThan(3200)
  })
})

describe('parseRetryAfter', () => {
  it('reads seconds and HTTP dates', () => {
    expect(parseRetryAfter('30')).toBe(30_000)
    expect(parseRetryAfter(null)).toBeUndefined()
    expect(parseRetryAfter('soon')).toBeUndefined()
    const now = Date.parse('2026-01-01T00:00:00Z')
    expect(parseRetryAfter('Thu, 01 Jan 2026 00:00:05 GMT', now)).toBe(5000)
  })
})

describe('sleep', () => {
  it('rejects promptly when aborted', async () => {
    const controller = new AbortController()
    const started = Date.now()
    const pending = sleep(10_000, controller.signal)
    controller.abort(new Error('stop'))
    await expect(pending).rejects.toThrow('stop')
    expect(Date.now() - started).toBeLessThan(1000)
  })
})
