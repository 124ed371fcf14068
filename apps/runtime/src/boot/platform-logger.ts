import type { Logger } from '@molecule/core'
import { withoutRepeatedKeys } from '../without-repeated-keys.js'

/**
 * The logger for a `@molecule/platform-client` component. Its loops name `workspaceId` in their own log objects,
 * and ours binds it already: left as is, their lines would carry the key twice.
 */
export function platformLogger(log: Logger, component: string): Logger {
  return withoutRepeatedKeys(log.child({ component }), ['workspaceId'])
}
