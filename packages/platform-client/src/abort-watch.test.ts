import { getEventListeners } from 'node:events'
import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'
import { describe, expect, it } from 'vitest'
import { onAbort } from './abort-watch.js'

describe('onAbort', () => {
  it('calls the callbacks still watching when the signal aborts, each once, through one listener', () => {
    const controller = new AbortController()
    const calls: string[] = []
    const stops = Array.from({ length: 100 }, (_, i) =>
      onAbort(controller.signal, () => calls.push(`gone ${i}`)),
    )
    onAbort(controller.signal, () => calls.push('kept'))
    for (const stop of stops) stop()
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(1)
    controller.abort()
    controller.abort()
    expect(calls).toEqual(['kept'])
  })
})

describe('onAbort, callbacks coming and going', () => {
  it('runs the ones left in the order they were added, whichever were removed from the middle or the ends', () => {
    const controller = new AbortController()
    const calls: number[] = []
    const stops = Array.from({ length: 6 }, (_, i) => onAbort(controller.signal, () => calls.push(i)))
    for (const i of [0, 3, 5]) stops[i]?.()
    stops[3]?.() // removing twice changes nothing
    const late = onAbort(controller.signal, () => calls.push(6))
    onAbort(controller.signal, () => calls.push(7))
    late()
    controller.abort()
    expect(calls).toEqual([1, 2, 4, 7])
  })

  it('forgets the fired ones: removing one afterwards does not drop a callback added later', () => {
    const first = new AbortController()
    const calls: string[] = []
    const stop = onAbort(first.signal, () => calls.push('fired'))
    const stopOther = onAbort(first.signal, () => calls.push('fired too'))
    first.abort()
    stop()
    stopOther()
    expect(calls).toEqual(['fired', 'fired too'])

    // A loop's signal lives on between sleeps: thousands of watch/unwatch pairs leave it watching only the last one.
    const loop = new AbortController()
    for (let i = 0; i < 10_000; i++) onAbort(loop.signal, () => calls.push(`sleep ${i}`))()
    onAbort(loop.signal, () => calls.push('current sleep'))
    loop.abort()
    expect(calls.slice(2)).toEqual(['current sleep'])
  })
})

describe('onAbort, memory', () => {
  it('keeps nothing of a removed callback, the first one of its signal included', async () => {
    setFlagsFromString('--expose-gc')
    const gc = runInNewContext('gc') as () => void
    const controller = new AbortController()
    const stops: (() => void)[] = []
    /** A callback holding an object of its own; the WeakRef tells whether anything still holds that object. */
    const watchOne = () => {
      const held = { request: 'bytes of a finished request' }
      stops.push(onAbort(controller.signal, () => void held.request))
      return new WeakRef(held)
    }
    const first = watchOne()
    const second = watchOne()
    // In a function of its own: a loop variable of this suspended test would hold the last callback.
    const stopAll = () => {
      for (const stop of stops.splice(0)) stop()
    }
    stopAll()
    await new Promise((resolve) => setImmediate(resolve))
    gc()
    expect(first.deref()).toBeUndefined()
    expect(second.deref()).toBeUndefined()
  })
})
