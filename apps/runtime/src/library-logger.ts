import type { Logger } from '@molecule/core'

/**
 * Hands the runtime's `Logger` to a library that still declares its logger parameter as pino's type
 * (`ToolContext['logger']` of `@molecule/tools`, `A2AServerOptions['logger']` of `@molecule/a2a-server`). Those
 * libraries call only `debug`/`info`/`warn`/`error`/`child`, which every `@molecule/core` `Logger` has; the one cast
 * lives here so that it disappears in one place once they accept the core interface.
 */
export function asLibraryLogger<Declared>(log: Logger): Declared {
  return log as unknown as Declared
}
