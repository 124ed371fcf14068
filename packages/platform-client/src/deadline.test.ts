import { describe, expect, it } from 'vitest'
import { Deadline } from './deadline.js'

describe('Deadline', () => {
  it('aborts with a TimeoutError when the time runs out, and says so', async () => {
    const deadline = new Deadline(20)
    await new Promise((r) => deadline.signal.addEventListener('abort', r))
    expect(deadline.timedOut).toBe(true)
    expect((deadline.signal.reason as DOMException).name).toBe('TimeoutError')
    deadline.done()
  })

  it("follows the caller's signal, already aborted or aborted later, and is not a timeout then", () => {
    const early = new AbortController()
    early.abort(new Error('early'))
    const first = new Deadline(10_000, early.signal)
    expect(first.signal.reason).toEqual(new Error('early'))
    first.done()
    const late = new AbortController()
    const second = new Deadline(10_000, late.signal)
    expect(second.signal.aborted).toBe(false)
    late.abort(new Error('late'))
    expect(second.signal.reason).toEqual(new Error('late'))
    expect(second.timedOut).toBe(false)
    second.done()
  })

  it('done() stops the timer and forgets the caller', async () => {
    const caller = new AbortController()
    const deadline = new Deadline(20, caller.signal)
    deadline.done()
    caller.abort()
    await new Promise((r) => setTimeout(r, 40))
    expect(deadline.signal.aborted).toBe(false)
  })
})
