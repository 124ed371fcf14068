import { describe, expect, it } from 'vitest'
import { alignedDelay } from './aligned-delay.js'

describe('alignedDelay', () => {
  it('waits until the next multiple of the interval, so loops started apart fire together', () => {
    expect(alignedDelay(5_000, 10_000)).toBe(5_000)
    expect(alignedDelay(5_000, 12_345)).toBe(2_655)
    expect(alignedDelay(5_000, 14_999)).toBe(1)
    const a = 12_345 + alignedDelay(5_000, 12_345)
    const b = 13_001 + alignedDelay(5_000, 13_001)
    expect(a).toBe(b)
  })

  it('is 0 for an interval that is not positive', () => {
    expect(alignedDelay(0, 123)).toBe(0)
    expect(alignedDelay(-5, 123)).toBe(0)
  })
})
