import { describe, expect, it } from 'vitest'
import { PlatformError } from './errors.js'
import { FailureLog } from './failure-log.js'
import type { Logger } from './logger.js'

function recordingLogger() {
  const lines: Array<{ level: string; msg: string | undefined; obj: unknown }> = []
  const at =
    (level: string) =>
    (obj: unknown, msg?: string): void => {
      lines.push({ level, obj, msg })
    }
  const logger: Logger = {
    debug: at('debug'),
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
    child: () => logger,
  }
  return { logger, lines }
}

describe('FailureLog', () => {
  it('logs the first failure, then one per N, then a recovery line', () => {
    let now = 0
    const { logger, lines } = recordingLogger()
    const log = new FailureLog(logger, 'heartbeat', { everyFailures: 10, everyMs: 1_000_000, now: () => now })
    for (let i = 0; i < 35; i++) {
      now += 10
      log.failure(new Error('boom'))
    }
    expect(lines.map((l) => l.level)).toEqual(['warn', 'warn', 'warn', 'warn'])
    expect(log.consecutive).toBe(35)
    log.success()
    expect(lines.at(-1)).toMatchObject({ level: 'info', msg: 'heartbeat recovered after 35 failure(s)' })
    expect(log.consecutive).toBe(0)
  })

  it('logs at most once per interval in between, and at error level for 401', () => {
    let now = 0
    const { logger, lines } = recordingLogger()
    const log = new FailureLog(logger, 'poll', { everyFailures: 1000, everyMs: 100, now: () => now })
    const unauthorized = new PlatformError({
      code: 'PLATFORM_UNAUTHORIZED',
      endpoint: 'GET /x',
      message: 'no',
    })
    for (let i = 0; i < 50; i++) {
      now += 10
      log.failure(unauthorized)
    }
    expect(lines.length).toBe(5)
    expect(lines.every((l) => l.level === 'error')).toBe(true)
    expect(lines[0]?.obj).toMatchObject({ code: 'PLATFORM_UNAUTHORIZED', endpoint: 'GET /x' })
  })

  it('says what a person has to do about a 401, and only about a 401', () => {
    const { logger, lines } = recordingLogger()
    const log = new FailureLog(logger, 'registration', { unauthorizedFix: 'restore the token file.' })
    log.failure(new PlatformError({ code: 'PLATFORM_UNAUTHORIZED', endpoint: 'POST /r', message: 'no' }))
    log.success()
    log.failure(new PlatformError({ code: 'PLATFORM_UNREACHABLE', endpoint: 'POST /r', message: 'down' }))
    expect(lines.map((l) => l.msg)).toEqual([
      'registration failed (1 in a row): no Fix: restore the token file.',
      'registration recovered after 1 failure(s)',
      'registration failed (1 in a row): down',
    ])
  })
})
