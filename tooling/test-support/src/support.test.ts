import { createServer } from 'node:net'
import { describe, expect, it } from 'vitest'
import { freePort, prng, sdkTextRequest, seededInts, settledAgainDuring, until } from './index.ts'

describe('test support', () => {
  it('prng replays the same sequence for a seed and another one for another seed', () => {
    const a = prng(42)
    const b = prng(42)
    const first = Array.from({ length: 5 }, a)
    expect(Array.from({ length: 5 }, b)).toEqual(first)
    expect(Array.from({ length: 5 }, prng(43))).not.toEqual(first)
    for (const x of first) expect(x >= 0 && x < 1).toBe(true)
    const ints = seededInts(7)
    for (let i = 0; i < 100; i++) expect(ints(3)).toBeLessThan(3)
  })

  it('freePort hands out a loopback port that can be bound', async () => {
    const port = await freePort()
    const server = createServer()
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve))
    await new Promise<void>((resolve) => server.close(() => resolve()))
  })

  it('until returns the first truthy value and names what timed out', async () => {
    let n = 0
    await expect(until(() => ++n >= 3 && n)).resolves.toBe(3)
    await expect(until(() => false, 60, 'the platform')).rejects.toThrow('the platform not met within 60 ms')
  })

  it('sdkTextRequest builds one text part with a fresh message id', () => {
    const one = sdkTextRequest('hi')
    expect(one.message.parts[0]?.content).toEqual({ $case: 'text', value: 'hi' })
    expect(one.message.messageId).not.toBe(sdkTextRequest('hi').message.messageId)
  })
})

describe('settledAgainDuring', () => {
  it('reports a promise resolved a second time, and nothing for work that settles each promise once', async () => {
    const again = await settledAgainDuring(async () => {
      await new Promise<void>((resolve) => {
        resolve()
        resolve()
      })
      await new Promise((r) => setTimeout(r, 10))
    })
    expect(again).toEqual(['resolve'])
    expect(await settledAgainDuring(() => new Promise((r) => setTimeout(r, 10)))).toEqual([])
    expect(process.listenerCount('multipleResolves')).toBe(0)
  })
})
