import pino, { type Logger } from 'pino'

/** Paths scrubbed from every log line, in case a caller ever logs a header bag or a token field. */
export const REDACT_PATHS = [
  'token',
  'auth_token',
  'authorization',
  'headers.authorization',
  'headers.Authorization',
  'req.headers.authorization',
  '*.token',
  '*.auth_token',
]

/** Default logger: pino to stderr (stdout stays free for the CLI's one listening line). */
export function createLogger(level: string): Logger {
  return pino(
    { name: 'molecule-dev-platform', level, redact: { paths: REDACT_PATHS, censor: '[REDACTED]' } },
    pino.destination(2),
  )
}
