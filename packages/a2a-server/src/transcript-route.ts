import { createHash, timingSafeEqual } from 'node:crypto'
import { type TranscriptPage, unsupportedTranscript } from '@molecule/adapter-core'

export type TranscriptSource = (since: number, limit: number) => TranscriptPage | Promise<TranscriptPage>

const MAX_LIMIT = 1000
const INTEGER = /^-?\d{1,15}$/

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest()
}

/** `Authorization` must be exactly `Bearer <token>`; compared in constant time, fails closed without a token. */
export function transcriptAuthorized(expected: string | undefined, header: string | undefined): boolean {
  if (!expected || header === undefined) return false
  // Hashing first gives equal-length inputs, so the compare leaks neither content nor length.
  return timingSafeEqual(digest(`Bearer ${expected}`), digest(header))
}

export interface TranscriptQuery {
  since: number
  limit: number
}

/** Parses and clamps `since` (≥ 0) and `limit` (1…1000); undefined when either is not an integer. */
export function parseTranscriptQuery(
  since: string | undefined,
  limit: string | undefined,
): TranscriptQuery | undefined {
  if ((since !== undefined && !INTEGER.test(since)) || (limit !== undefined && !INTEGER.test(limit)))
    return undefined
  const s = since === undefined ? 0 : Math.max(0, Number(since))
  const l = limit === undefined ? 100 : Math.min(MAX_LIMIT, Math.max(1, Number(limit)))
  return { since: s, limit: l }
}

export function defaultTranscript(runtime: string): TranscriptSource {
  return (since) => unsupportedTranscript(runtime, since)
}
