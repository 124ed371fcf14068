/** Secret-looking substrings scrubbed from memories before storage (the platform's defence in depth). */
const PATTERNS: Array<[RegExp, string]> = [
  [/\b[A-Z][A-Z0-9_]*_API_KEY=\S+/g, 'API_KEY'],
  [/\b[A-Z][A-Z0-9_]*_TOKEN=\S+/g, 'TOKEN'],
  [/\b[A-Z][A-Z0-9_]*_SECRET=\S+/g, 'SECRET'],
  [/Bearer\s+[A-Za-z0-9._~+/=-]+/g, 'BEARER'],
  [/\bsk-[A-Za-z0-9_-]{16,}/g, 'SK_KEY'],
  [/\bctx7_[A-Za-z0-9_-]+/g, 'CTX7'],
]
const BASE64_RUN = /[A-Za-z0-9+/_-]{33,}={0,2}/g
/** Hex-and-dash runs are ids (UUIDs, hashes people quote on purpose), not credentials. */
const ID_LIKE = /^[0-9a-f-]+$/i

export function redactSecrets(text: string): string {
  let out = text
  for (const [pattern, label] of PATTERNS) out = out.replace(pattern, `[REDACTED:${label}]`)
  return out.replace(BASE64_RUN, (run) => (ID_LIKE.test(run) ? run : '[REDACTED:BASE64]'))
}
