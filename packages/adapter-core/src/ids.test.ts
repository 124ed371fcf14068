import { describe, expect, it } from 'vitest'
import { uuidV4 } from './ids.js'

const V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/

describe('uuidV4', () => {
  it('gives distinct, well-formed version 4 UUIDs across many batches', () => {
    const seen = new Set<string>()
    for (let i = 0; i < 5_000; i++) {
      const id = uuidV4()
      expect(id).toMatch(V4)
      seen.add(id)
    }
    expect(seen.size).toBe(5_000)
  })

  it('uses every hex digit and both halves of each byte', () => {
    // A formatting slip (one nibble dropped, a fixed digit) would leave some digit unused at some position.
    const digits = Array.from({ length: 36 }, () => new Set<string>())
    for (let i = 0; i < 2_000; i++) {
      const id = uuidV4()
      for (let at = 0; at < 36; at++) digits[at]?.add(id.charAt(at))
    }
    const free = [...Array(36).keys()].filter((at) => ![8, 13, 14, 18, 19, 23].includes(at))
    for (const at of free) expect(digits[at]?.size, `position ${at}`).toBe(16)
    expect([...(digits[14] ?? [])]).toEqual(['4'])
    expect([...(digits[19] ?? [])].sort()).toEqual(['8', '9', 'a', 'b'])
  })
})
