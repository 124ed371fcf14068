import { CENSOR, redactPaths } from '@molecule/core'
import pino, { type DestinationStream, type Logger as PinoLogger } from 'pino'

export type { PinoLogger }

export interface CreateLoggerOptions {
  /** Written as `name` on every line: the program (`molecule-runtime`, `molecule-mcp`, `molecule-dev-platform`). */
  name: string
  /** pino level name; default `info`. */
  level?: string
  /** Fields on every line, e.g. `{ workspaceId }`. Children must not bind these again. */
  bindings?: Record<string, unknown>
  /** Where lines go. Default: stderr, written synchronously so the last lines before `process.exit` are kept. */
  destination?: DestinationStream
}

/**
 * The one logger factory: JSON lines on stderr (stdout belongs to the program's own output — MCP's JSON-RPC, the dev
 * command's banner), the credential keys of `@molecule/core` replaced by its one censor string. Libraries never call
 * this: they accept the `Logger` interface of `@molecule/core`, which the result satisfies.
 */
export function createLogger(options: CreateLoggerOptions): PinoLogger {
  return pino(
    {
      name: options.name,
      level: options.level ?? 'info',
      base: { pid: process.pid, ...options.bindings },
      redact: { paths: redactPaths(), censor: CENSOR },
    },
    options.destination ?? pino.destination({ fd: 2, sync: true }),
  )
}
