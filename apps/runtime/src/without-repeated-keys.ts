import type { LogFn, Logger } from '@molecule/core'

/**
 * A logger that leaves `keys` out of the objects passed to each call, for a library that names them in its own log
 * objects although our logger already binds them (`@molecule/platform-client`'s loops add `workspaceId` to their
 * lines): pino would write the key twice on one line. Children keep the rule.
 */
export function withoutRepeatedKeys(log: Logger, keys: readonly string[]): Logger {
  const strip =
    (write: LogFn): LogFn =>
    (objOrMsg, ...rest) => {
      if (typeof objOrMsg !== 'object' || objOrMsg === null || objOrMsg instanceof Error) {
        return write(objOrMsg, ...rest)
      }
      if (!keys.some((key) => key in objOrMsg)) return write(objOrMsg, ...rest)
      const trimmed: Record<string, unknown> = { ...(objOrMsg as Record<string, unknown>) }
      for (const key of keys) delete trimmed[key]
      return write(trimmed, ...rest)
    }
  return {
    debug: strip(log.debug.bind(log)),
    info: strip(log.info.bind(log)),
    warn: strip(log.warn.bind(log)),
    error: strip(log.error.bind(log)),
    child: (bindings) => withoutRepeatedKeys(log.child(bindings), keys),
  }
}
