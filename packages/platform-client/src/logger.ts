type LogFn = (objOrMsg: unknown, msg?: string) => void

/** The subset of pino's logger this package uses; a pino logger fits as is. */
export interface Logger {
  debug: LogFn
  info: LogFn
  warn: LogFn
  error: LogFn
}

const noop: LogFn = () => {}

export const silentLogger: Logger = { debug: noop, info: noop, warn: noop, error: noop }
