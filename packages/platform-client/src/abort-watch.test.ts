import { getEventListeners } from 'node:events'
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
