import type { Logger } from '@molecule/core'
import { createLogger } from '@molecule/logger'

/**
 * The runtime's root logger: `@molecule/logger`'s JSON lines on stderr (stdout stays free for `dev` output), named
 * `molecule-runtime`, credentials censored. `bindings` appear once on every line; children must not bind them again.
 */
export function runtimeLogger(level: string, bindings: Record<string, unknown> = {}): Logger {
  return createLogger({ name: 'molecule-runtime', level, bindings })
}
