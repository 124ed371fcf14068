import { Writable } from 'node:stream'
import { CENSOR, type Logger, rememberSecret } from '@molecule/core'
import { credentialSamples, leakedPiece, workspaceTokens } from '@molecule/test-support'
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

  it('masks secrets in the message, in string values and keys at any depth, in errors and in bindings', () => {
    const out = capture()
    const [token, other, key] = workspaceTokens(3, 7) as [string, string, string]
    const pem = credentialSamples().find((s) => s.kind.startsWith('pem'))
    const log = createLogger({ name: 't', bindings: { session: `Bearer ${other}` }, destination: out.stream })
    const caller = { depth: { deeper: { list: [`got ${token}`, { [key]: 1 }] } }, stderr: pem?.text }
    log
      .child({ peer: `sk-${'q'.repeat(24)}` })
      .error({ request: caller, err: new Error(`refused ${token}`) }, 'call with %s failed', token)
    log.warn(new Error(`thrown with ${token}`))
    const text = out.lines().join('\n')
    for (const secret of [token, other, key, `sk-${'q'.repeat(24)}`]) expect(text).not.toContain(secret)
    expect(leakedPiece(text, pem?.secret ?? 'missing sample')).toBeUndefined()
    const [first, second] = out.lines().map((line) => JSON.parse(line))
    expect(first.msg).toBe(`call with ${CENSOR} failed`)
    expect(first.request.depth.deeper.list).toEqual([`got ${CENSOR}`, { [CENSOR]: 1 }])
    expect(first.err).toMatchObject({ type: 'Error', message: `refused ${CENSOR}` })
    expect(second).toMatchObject({ msg: `thrown with ${CENSOR}`, err: { message: `thrown with ${CENSOR}` } })
    // The caller's object is not touched.
    expect(caller.depth.deeper.list[0]).toBe(`got ${token}`)
  })

  it("masks the process's remembered secrets, however they look", () => {
    const out = capture()
    rememberSecret('correct horse battery staple')
    createLogger({ name: 't', destination: out.stream }).info(
      { note: 'pw is correct horse battery staple' },
      'said correct horse battery staple',
    )
    const line = JSON.parse(out.lines()[0] as string)
    expect(line).toMatchObject({ note: `pw is ${CENSOR}`, msg: `said ${CENSOR}` })
  })

  it('writes a circular object once and does no masking for a line below the level', () => {
    const out = capture()
    const log = createLogger({ name: 't', destination: out.stream })
    const loop: Record<string, unknown> = { name: 'loop' }
    loop.self = loop
    log.info({ loop }, 'circular')
    expect(JSON.parse(out.lines()[0] as string).loop).toEqual({ name: 'loop', self: '[Circular]' })
    let reads = 0
    const watched = {
      get value() {
        reads++
        return 'x'
      },
    }
    log.debug({ watched }, 'below the level')
    expect(reads).toBe(0)
    log.info({ watched }, 'written')
    expect(reads).toBeGreaterThan(0)
  })

  it('honours the level', () => {
    const out = capture()
    const log = createLogger({ name: 't', level: 'warn', destination: out.stream })
    log.info('hidden')
    log.warn('shown')
    expect(out.lines()).toHaveLength(1)
  })
})
