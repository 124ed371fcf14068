/**
 * Secret redaction applied before any memory write. Patterns follow the upstream contract: long provider keys
 * are replaced, short look-alikes and ordinary prose are left alone, and running it twice changes nothing.
 */
const REDACTED = '[REDACTED]'

const TOKEN_PATTERNS: RegExp[] = [
  /(?<![A-Za-z0-9_-])sk-[A-Za-z0-9_-]{20,}/g,
  /\bghp_[A-Za-z0-9]{36}\b/g,
  /\bghs_[A-Za-z0-9]{36}\b/g,
  /\bgithub_pat_[A-Za-z0-9_]{82}\b/g,
  /\bAKIA[A-Z0-9]{16}\b/g,
]

// `api_key = <40+ base64 chars>`: keep the keyword so the memory still says what was there.
const KEYWORD_ASSIGNMENT = /\b(api_key|key|token|secret|password)(\s*=\s*)[A-Za-z0-9+/]{40,}={0,2}/gi

export function redactSecrets(text: string): string {
  let out = text
  for (const pattern of TOKEN_PATTERNS) out = out.replace(pattern, REDACTED)
  return out.replace(
    KEYWORD_ASSIGNMENT,
    (_match, keyword: string, eq: string) => `${keyword}${eq}${REDACTED}`,
  )
}
