import { maskSecrets } from '@molecule/core'

/**
 * Secret redaction before any memory write: `maskSecrets` of `@molecule/core`, the one redaction point (provider
 * keys, workspace tokens, JWTs, private keys, Slack tokens, passwords, bearer values and the process's remembered
 * secrets). Kept under this name for callers of earlier versions.
 */
export const redactSecrets: (text: string) => string = (text) => maskSecrets(text)
