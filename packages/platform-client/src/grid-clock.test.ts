import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { untilGridPoint } from './grid-clock.js'

beforeEach(() => {
  vi.useFakeTimers({ now: 10_000 })
})
afterEach(() => {
  vi.useRealTimers()
})

describe('untilGridPoint', () => {
  it('wakes waiters that came at different moments at the same next multiple of the interval, on one timer', async () => {
    const woken: string[] = []
    void untilGridPoint(5_000).then(() => woken.push(`first at ${Date.now()}`))
    await vi.advanceTimersByTimeAsync(1_234)
    void untilGridPoint(5_000).then(() => woken.push(`second at ${Date.now()}`))
    expect(vi.getTimerCount()).toBe(1)
    await vi.advanceTimersByTimeAsync(3_765) // 14 999
    expect(woken).toEqual([])
    await vi.advanceTimersByTimeAsync(1)
    expect(woken).toEqual(['first at 15000', 'second at 15000'])
    expect(vi.getTimerCount()).toBe(0)
  })

  it('a waiter whose signal aborts rejects with the reason; the last one to leave takes the timer with it', async () => {
    const first = new AbortController()
    const second = new AbortController()
    const waiting = untilGridPoint(5_000, first.signal)
    const staying = untilGridPoint(5_000, second.signal)
    first.abort(new Error('stopped'))
    await expect(waiting).rejects.toThrow('stopped')
    expect(vi.getTimerCount()).toBe(1)
    second.abort(new Error('stopped too'))
    await expect(staying).rejects.toThrow('stopped too')
    expect(vi.getTimerCount()).toBe(0)
    await expect(untilGridPoint(5_000, first.signal)).rejects.toThrow('stopped')
  })

  it('a point being waited for is shared by other intervals that meet it; a later point gets a timer of its own', async () => {
    const woken: string[] = []
    void untilGridPoint(5_000).then(() => woken.push('5 s'))
    void untilGridPoint(20_000).then(() => woken.push('20 s')) // 20 000: not the same point as 15 000
    void untilGridPoint(2_500).then(() => woken.push('2.5 s')) // 12 500
    expect(vi.getTimerCount()).toBe(3)
    await vi.advanceTimersByTimeAsync(5_000)
    expect(woken).toEqual(['2.5 s', '5 s'])
    void untilGridPoint(5_000).then(() => woken.push('5 s again')) // 20 000, with the 20 s waiter
    expect(vi.getTimerCount()).toBe(1)
    await vi.advanceTimersByTimeAsync(5_000)
    expect(woken).toEqual(['2.5 s', '5 s', '20 s', '5 s again'])
  })
})
