import { Writable } from 'node:stream'
import { CENSOR, type Logger } from '@molecule/core'
import { describe, expect, it } from 'vitest'
import { createLogger } from './create-logger.ts'

function capture(): { stream: Writable; lines: () => string[] } {
  const chunks: string[] = []
  const stream = new Writable({
    write(chunk, _enc, done) {
      chunks.push(String(chunk))
      done()
    },
  })
  return { stream, lines: () => chunks.join('').split('\n').filter(Boolean) }
}

/** Keys in the order they appear in one raw JSON line, so a key written twice is seen (JSON.parse would hide it). */
function rawKeys(line: string): string[] {
  return [...line.matchAll(/[{,]"([^"]+)":/g)].map((m) => m[1] as string)
}

describe('createLogger', () => {
  it('writes one JSON line per call with name, level, pid and the bindings', () => {
    const out = capture()
    const log = createLogger({
      name: 'molecule-test',
      bindings: { workspaceId: 'ws-1' },
      destination: out.stream,
    })
    log.info({ port: 8000 }, 'listening')
    const line = JSON.parse(out.lines()[0] as string)
    expect(line).toMatchObject({
      name: 'molecule-test',
      level: 30,
      workspaceId: 'ws-1',
      port: 8000,
      msg: 'listening',
    })
    expect(line.pid).toBe(process.pid)
  })

  it('replaces every credential key with the one censor string, at the top, nested and in headers', () => {
    const out = capture()
    const log = createLogger({ name: 't', destination: out.stream })
    log.warn(
      {
        token: 'tok-1',
        registration: { auth_token: 'tok-2' },
        headers: { authorization: 'Bearer tok-3' },
        request: { headers: { Authorization: 'Bearer tok-4' } },
        apiKey: 'k',
      },
      'call failed',
    )
    const line = out.lines()[0] as string
    for (const secret of ['tok-1', 'tok-2', 'tok-3', 'tok-4', '"k"']) expect(line).not.toContain(secret)
    expect(line.split(CENSOR).length - 1).toBe(5)
  })

  it('children add their bindings once; a line never repeats a key', () => {
    const out = capture()
    const root = createLogger({ name: 't', bindings: { workspaceId: 'ws-1' }, destination: out.stream })
    const child: Logger = root.child({ component: 'heartbeat' }).child({ taskId: 't-1' })
    child.info('beat')
    const keys = rawKeys(out.lines()[0] as string)
    expect(keys).toEqual(expect.arrayContaining(['workspaceId', 'component', 'taskId']))
    expect(new Set(keys).size).toBe(keys.length)
  })

  it('honours the level', () => {
    const out = capture()
    const log = createLogger({ name: 't', level: 'warn', destination: out.stream })
    log.info('hidden')
    log.warn('shown')
    expect(out.lines()).toHaveLength(1)
  })
})
