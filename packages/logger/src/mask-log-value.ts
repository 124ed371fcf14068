import { maskSecrets } from '@molecule/core'
import pino from 'pino'

/** Deeper than this a value is not walked; pino itself writes `[...]` from depth 5 on. */
const MAX_DEPTH = 10

/**
 * A copy of a log object with `maskSecrets` applied to every string value and every key, at any depth. Errors
 * become pino's `{ type, message, stack }` first, so their message and stack are masked too; a value met again
 * inside itself is written `[Circular]`. The caller's object is never changed.
 */
export function maskLogValue(value: unknown, ancestors: object[] = []): unknown {
  if (typeof value === 'string') return maskSecrets(value)
  if (value === null || typeof value !== 'object') return value
  if (ancestors.includes(value)) return '[Circular]'
  if (ancestors.length >= MAX_DEPTH) return '[...]'
  let plain: object = value
  if (value instanceof Error) plain = pino.stdSerializers.err(value)
  else if (typeof (value as { toJSON?: unknown }).toJSON === 'function') {
    const json: unknown = (value as { toJSON: () => unknown }).toJSON()
    if (json === null || typeof json !== 'object') return maskLogValue(json, ancestors)
    plain = json
  }
  const inside = [...ancestors, value]
  if (Array.isArray(plain)) return plain.map((item) => maskLogValue(item, inside))
  const out: Record<string, unknown> = {}
  for (const [key, inner] of Object.entries(plain)) out[maskSecrets(key)] = maskLogValue(inner, inside)
  return out
}

/** The formatter pino calls with each written line's object and with the root's bindings. */
export function maskLogObject(object: Record<string, unknown>): Record<string, unknown> {
  return maskLogValue(object) as Record<string, unknown>
}

/** pino's `err` serializer, for an Error that reached it unmasked (the log formatter turns them into objects). */
export function maskError(value: unknown): unknown {
  return value instanceof Error ? maskLogValue(value) : value
}

/** The serializer of the message: a line's text, after printf-style arguments were filled in. */
export function maskMessage(message: unknown): unknown {
  return typeof message === 'string' ? maskSecrets(message) : message
}
