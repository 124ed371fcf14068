import { afterEach, describe, expect, it, vi } from 'vitest'
import { DevPlatformError } from './errors.js'
import { startDevPlatform } from './start-dev-platform.js'

// Tests never bind beyond loopback: here `serve` is a spy that refuses to listen, so a startup that wrongly gets as
// far as listening fails with LISTEN_BLOCKED instead of opening a socket.
const serve = vi.hoisted(() =>
  vi.fn(() => {
    throw new Error('LISTEN_BLOCKED')
  }),
)
vi.mock('@hono/node-server', () => ({ serve }))

afterEach(() => {
  serve.mockClear()
  vi.restoreAllMocks()
})

function stderrWrites(): string[] {
  const writes: string[] = []
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    writes.push(String(chunk))
    return true
  })
  return writes
}

describe('startDevPlatform beyond loopback', () => {
  it('listens on loopback without an admin token (the spy sees the attempt) and warns about nothing', async () => {
    const writes = stderrWrites()
    await expect(startDevPlatform({ host: '127.0.0.1', logLevel: 'silent' })).rejects.toThrow(
      'LISTEN_BLOCKED',
    )
    expect(serve).toHaveBeenCalledTimes(1)
    expect(writes.join('')).not.toContain('warning')
  })

  it('rejects host 0.0.0.0 without an admin token before listening', async () => {
    const started = startDevPlatform({ host: '0.0.0.0', logLevel: 'silent' })
    await expect(started).rejects.toBeInstanceOf(DevPlatformError)
    await expect(started).rejects.toMatchObject({
      code: 'DEV_PLATFORM_ADMIN_TOKEN_REQUIRED',
      message: expect.stringContaining('MOLECULE_DEV_ADMIN_TOKEN'),
    })
    expect(serve).not.toHaveBeenCalled()
  })

  it('rejects lenient mode beyond loopback before listening, even with an admin token', async () => {
    await expect(
      startDevPlatform({ host: '0.0.0.0', adminToken: 'op', lenient: true, logLevel: 'silent' }),
    ).rejects.toMatchObject({ code: 'DEV_PLATFORM_LENIENT_EXPOSED' })
    expect(serve).not.toHaveBeenCalled()
  })

  it('with an admin token goes on to listen, after a warning on stderr', async () => {
    const writes = stderrWrites()
    await expect(startDevPlatform({ host: '0.0.0.0', adminToken: 'op', logLevel: 'silent' })).rejects.toThrow(
      'LISTEN_BLOCKED',
    )
    expect(writes.join('')).toContain('warning: listening on 0.0.0.0, beyond loopback')
    expect(serve).toHaveBeenCalledTimes(1)
  })

  it('rejects a malformed allowedOrigins entry before listening', async () => {
    await expect(
      startDevPlatform({ allowedOrigins: ['localhost:3000'], logLevel: 'silent' }),
    ).rejects.toMatchObject({ code: 'DEV_PLATFORM_BAD_OPTION', path: 'allowedOrigins' })
    expect(serve).not.toHaveBeenCalled()
  })
})
