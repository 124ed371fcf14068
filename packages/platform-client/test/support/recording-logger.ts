import type { Logger } from '../../src/logger.js'

export interface LogLine {
  level: 'debug' | 'info' | 'warn' | 'error'
  obj: unknown
  msg: string | undefined
}

/** A Logger that keeps every line, so tests can count log volume and check nothing secret is logged. */
export function recordingLogger(): Logger & { lines: LogLine[]; at(level: LogLine['level']): LogLine[] } {
  const lines: LogLine[] = []
  const make =
    (level: LogLine['level']) =>
    (objOrMsg: unknown, msg?: string): void => {
      lines.push(
        typeof objOrMsg === 'string'
          ? { level, obj: undefined, msg: objOrMsg }
          : { level, obj: objOrMsg, msg },
      )
    }
  return {
    lines,
    at: (level) => lines.filter((l) => l.level === level),
    debug: make('debug'),
    info: make('info'),
    warn: make('warn'),
    error: make('error'),
  }
}

/** Polls `predicate` every few ms until it holds or `timeoutMs` passes. */
export async function until(predicate: () => boolean, timeoutMs = 5000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 5))
  }
}
