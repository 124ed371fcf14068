import pino, { type Logger } from 'pino'

/** Paths pino blanks out wherever they appear in a log object: tokens never reach a log line. */
export const REDACT_PATHS = [
  'token',
  'authToken',
  'auth_token',
  'apiKey',
  'api_key',
  'authorization',
  'Authorization',
  'headers.authorization',
  'headers.Authorization',
  '*.token',
  '*.authToken',
  '*.auth_token',
  '*.authorization',
  '*.Authorization',
  '*.headers.authorization',
  '*.headers.Authorization',
]

/** Structured JSON logs on stderr (stdout stays free for `dev` output), written synchronously so the last lines
 * before `process.exit` are never lost. */
export function createLogger(level = 'info', bindings: Record<string, unknown> = {}): Logger {
  return pino(
    {
      level,
      base: { pid: process.pid, ...bindings },
      redact: { paths: REDACT_PATHS, censor: '[REDACTED]' },
    },
    pino.destination({ fd: 2, sync: true }),
  )
}
