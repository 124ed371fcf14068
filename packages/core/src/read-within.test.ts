import { describe, expect, it } from 'vitest'
import { readWithin } from './read-within.js'

function streamOf(...chunks: string[]): { body: ReadableStream<Uint8Array>; cancelled: () => boolean } {
  let cancelled = false
  let i = 0
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      const next = chunks[i++]
      if (next === undefined) controller.close()
      else controller.enqueue(new TextEncoder().encode(next))
    },
    cancel() {
      cancelled = true
    },
  })
  return { body, cancelled: () => cancelled }
}

describe('readWithin', () => {
  it('gives every chunk of a body within the limit, the limit itself included', async () => {
    const { body, cancelled } = streamOf('ab', 'cd')
    const chunks = await readWithin(body, 4)
    expect(chunks?.map((c) => new TextDecoder().decode(c))).toEqual(['ab', 'cd'])
    expect(cancelled()).toBe(false)
  })

  it('gives undefined and cancels the stream once the body passes the limit', async () => {
    const { body, cancelled } = streamOf('ab', 'cd', 'ef')
    expect(await readWithin(body, 3)).toBeUndefined()
    expect(cancelled()).toBe(true)
  })
})
