import { describe, expect, it } from 'vitest'
import { PlatformClientError } from './errors.js'
import { Turns } from './turns.js'

/** A call that runs until the test lets it finish. */
function heldCall(log: string[], name: string) {
  let finish: (value: string) => void = () => {}
  let fail: (reason: Error) => void = () => {}
  const work = () => {
    log.push(`start ${name}`)
    return new Promise<string>((resolve, reject) => {
      finish = resolve
      fail = reject
    })
  }
  return { work, finish: (value = name) => finish(value), fail: (reason: Error) => fail(reason) }
}

const tick = () => new Promise((resolve) => setImmediate(resolve))

describe('Turns', () => {
  it('runs at most `limit` calls at once; the others start in the order they came as slots free up', async () => {
    const turns = new Turns(2)
    const log: string[] = []
    const calls = ['a', 'b', 'c', 'd'].map((name) => heldCall(log, name))
    const results = calls.map((call) => turns.run(call.work))
    await tick()
    expect(log).toEqual(['start a', 'start b'])
    expect([turns.running, turns.waiting]).toEqual([2, 2])
    calls[1]?.finish()
    await tick()
    expect(log).toEqual(['start a', 'start b', 'start c'])
    calls[0]?.finish()
    calls[2]?.finish()
    await tick()
    expect(log).toEqual(['start a', 'start b', 'start c', 'start d'])
    calls[3]?.finish()
    expect(await Promise.all(results)).toEqual(['a', 'b', 'c', 'd'])
    expect([turns.running, turns.waiting]).toEqual([0, 0])
  })

  it('passes a failure to its caller and still frees the slot, for a rejection and for a synchronous throw', async () => {
    const turns = new Turns(1)
    const log: string[] = []
    const failing = heldCall(log, 'failing')
    const first = turns.run(failing.work)
    const throwing = turns.run(() => {
      throw new Error('thrown before any promise')
    })
    const last = turns.run(async () => 'ran')
    failing.fail(new Error('the platform said no'))
    await expect(first).rejects.toThrow('the platform said no')
    await expect(throwing).rejects.toThrow('thrown before any promise')
    expect(await last).toBe('ran')
    expect(turns.running).toBe(0)
  })

  it('a call whose signal aborts while it waits rejects with the reason, never runs, and holds no slot', async () => {
    const turns = new Turns(1)
    const log: string[] = []
    const holder = heldCall(log, 'holder')
    const running = turns.run(holder.work)
    const controller = new AbortController()
    const waiting = turns.run(async () => log.push('aborted one ran'), controller.signal)
    const next = turns.run(async () => 'next ran')
    controller.abort(new Error('stopped'))
    await expect(waiting).rejects.toThrow('stopped')
    expect(turns.waiting).toBe(1)
    holder.finish()
    await running
    expect(await next).toBe('next ran')
    expect(log).toEqual(['start holder'])
    await expect(turns.run(async () => 'never', controller.signal)).rejects.toThrow('stopped')
  })

  it('a signal that aborts after the call started changes nothing', async () => {
    const turns = new Turns(1)
    const controller = new AbortController()
    const log: string[] = []
    const call = heldCall(log, 'started')
    const result = turns.run(call.work, controller.signal)
    await tick()
    controller.abort(new Error('too late'))
    call.finish('finished anyway')
    expect(await result).toBe('finished anyway')
  })

  it('refuses a limit that is not a whole number of at least 1, naming the option and the fix', () => {
    for (const limit of [0, -1, 1.5, Number.NaN]) {
      const make = () => new Turns(limit)
      expect(make).toThrow(PlatformClientError)
      expect(make).toThrow(`limit must be a whole number ≥ 1, got ${limit}`)
      expect(make).toThrow(expect.objectContaining({ code: 'TURNS_LIMIT_INVALID', path: 'limit' }))
    }
    expect(new Turns().limit).toBe(8)
  })
})
