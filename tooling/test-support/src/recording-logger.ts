export interface LogLine {
  level: 'debug' | 'info' | 'warn' | 'error'
  obj: unknown
  msg: string | undefined
  /** Bindings of the child logger that wrote the line (empty for the root). */
  bindings: Record<string, unknown>
}

type LogFn = (objOrMsg: unknown, msg?: string) => void

/**
 * The `Logger` of `@molecule/core`, spelled out rather than imported: core's own tests use this package, and a
 * dependency back on core would make a build cycle.
 */
export interface RecordingLogger {
  debug: LogFn
  info: LogFn
  warn: LogFn
  error: LogFn
  child(bindings: Record<string, unknown>): RecordingLogger
  lines: LogLine[]
  at(level: LogLine['level']): LogLine[]
}

/** A `Logger` that keeps every line (children write into the same list), to count log volume and look for secrets. */
export function recordingLogger(
  lines: LogLine[] = [],
  bindings: Record<string, unknown> = {},
): RecordingLogger {
  const make =
    (level: LogLine['level']) =>
    (objOrMsg: unknown, msg?: string): void => {
      lines.push(
        typeof objOrMsg === 'string'
          ? { level, obj: undefined, msg: objOrMsg, bindings }
          : { level, obj: objOrMsg, msg, bindings },
      )
    }
  return {
    lines,
    at: (level) => lines.filter((l) => l.level === level),
    debug: make('debug'),
    info: make('info'),
    warn: make('warn'),
    error: make('error'),
    child: (more) => recordingLogger(lines, { ...bindings, ...more }),
  }
}
