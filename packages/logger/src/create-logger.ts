import { CENSOR, redactPaths } from '@molecule/core'
import pino, { type DestinationStream, type Logger as PinoLogger } from 'pino'
import { maskError, maskLogObject, maskMessage } from './mask-log-value.js'

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
 * command's banner), the credential keys of `@molecule/core` replaced by its one censor string, and every string of
 * a line — the message, values and keys at any depth, error messages and stacks, bindings — passed through
 * `maskSecrets` (which also knows the process's remembered secrets). Masking runs only for lines that are written:
 * a call below the level costs nothing. Libraries never call this: they accept the `Logger` interface of
 * `@molecule/core`, which the result satisfies.
 */
export function createLogger(options: CreateLoggerOptions): PinoLogger {
  const logger = pino(
    {
      name: options.name,
      level: options.level ?? 'info',
      base: { pid: process.pid, ...options.bindings },
      redact: { paths: redactPaths(), censor: CENSOR },
      formatters: { log: maskLogObject, bindings: maskLogObject },
      serializers: { msg: maskMessage, err: maskError },
    },
    options.destination ?? pino.destination({ fd: 2, sync: true }),
  )
  // pino formats a child's bindings once, when the child is made, without the bindings formatter: mask them there.
  // Children of children inherit this method from the root.
  const makeChild = logger.child
  logger.child = function child(this: PinoLogger, bindings, childOptions) {
    return makeChild.call(this, maskLogObject(bindings), childOptions)
  } as typeof logger.child
  return logger
}
