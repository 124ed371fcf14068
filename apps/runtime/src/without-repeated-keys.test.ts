import { Writable } from 'node:stream'
import { createLogger } from '@molecule/logger'
import { describe, expect, it } from 'vitest'
import { withoutRepeatedKeys } from './without-repeated-keys.js'

function capture(): { stream: Writable; lines: () => string[] } {
  const chunks: string[] = []
  const stream = new Writable({
    write(chunk, _encoding, done) {
      chunks.push(String(chunk))
      done()
    },
  })
  return { stream, lines: () => chunks.join('').split('\n').filter(Boolean) }
}

describe('withoutRepeatedKeys', () => {
  it('writes a bound key once when a library names it again, in children too, and keeps the rest', () => {
    const out = capture()
    const root = createLogger({ name: 't', bindings: { workspaceId: 'ws-1' }, destination: out.stream })
    const log = withoutRepeatedKeys(root, ['workspaceId'])
    log.info({ workspaceId: 'ws-1', attempts: 1 }, 'registered with the platform')
    log.child({ component: 'heartbeat' }).warn({ workspaceId: 'ws-1', reason: 'boot' }, 're-registering')
    log.error('plain message')
    const [first, second, third] = out.lines()
    expect(first?.match(/"workspaceId"/g)).toHaveLength(1)
    expect(JSON.parse(first as string)).toMatchObject({ workspaceId: 'ws-1', attempts: 1 })
    expect(second?.match(/"workspaceId"/g)).toHaveLength(1)
    expect(JSON.parse(second as string)).toMatchObject({ component: 'heartbeat', reason: 'boot' })
    expect(JSON.parse(third as string)).toMatchObject({ workspaceId: 'ws-1', msg: 'plain message' })
  })

  it('leaves the caller’s object untouched', () => {
    const out = capture()
    const log = withoutRepeatedKeys(createLogger({ name: 't', destination: out.stream }), ['workspaceId'])
    const fields = { workspaceId: 'ws-1', attempt: 2 }
    log.warn(fields, 'failed')
    expect(fields).toEqual({ workspaceId: 'ws-1', attempt: 2 })
    expect(JSON.parse(out.lines()[0] as string)).not.toHaveProperty('workspaceId')
  })
})
