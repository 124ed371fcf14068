import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto'

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

export const newId = (): string => randomUUID()

export const isUuid = (value: unknown): value is string => typeof value === 'string' && UUID_RE.test(value)

/** 32 random bytes, base64url without padding: 43 characters, like the upstream platform. */
export const mintTokenValue = (): string => randomBytes(32).toString('base64url')

export const sha256Hex = (value: string): string => createHash('sha256').update(value).digest('hex')

/** Constant-time string comparison (for the admin token, which is compared in plaintext). */
export function safeEqual(a: string, b: string): boolean {
  const left = createHash('sha256').update(a).digest()
  const right = createHash('sha256').update(b).digest()
  return timingSafeEqual(left, right) && a.length === b.length
}

/** RFC 3339 UTC with fractional seconds. */
export const isoTime = (ms: number): string => new Date(ms).toISOString()
