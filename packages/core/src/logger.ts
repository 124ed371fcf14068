/** One log method: `log(obj, msg)` or `log(msg)`, as pino's. */
export type LogFn = (objOrMsg: unknown, msg?: string) => void

/**
 * What a library needs from a logger. Libraries accept this and never import pino; the programs (runtime, bridge, dev
 * platform) build the real one with `createLogger` from @molecule/logger, which satisfies it as is.
 */
export interface Logger {
  debug: LogFn
  info: LogFn
  warn: LogFn
  error: LogFn
  /** A logger whose lines also carry `bindings`. Never bind a key the parent already binds: pino would write it twice. */
  child(bindings: Record<string, unknown>): Logger
}

const noop: LogFn = () => {}

/** Discards everything: the default of libraries that were given no logger. */
export const silentLogger: Logger = {
  debug: noop,
  info: noop,
  warn: noop,
  error: noop,
  child: () => silentLogger,
}
