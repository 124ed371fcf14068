/** Kinds of personal data and credentials the output redaction replaces, as they appear in `[REDACTED:<kind>]`. */
export type PiiType = 'credit_card' | 'ssn' | 'api_key' | 'aws_key' | 'github_token' | 'email'

/** Applied in this order: card numbers before SSNs, key prefixes before the generic e-mail pattern. */
const PATTERNS: ReadonlyArray<readonly [PiiType, RegExp]> = [
  ['credit_card', /\b\d{4}[ -]\d{4}[ -]\d{4}[ -]\d{4}\b/g],
  ['ssn', /\b\d{3}-\d{2}-\d{4}\b/g],
  ['api_key', /\bsk-[A-Za-z0-9_-]{32,}/g],
  ['api_key', /\b(?:sk|pk|api|secret|token|auth)[-_][A-Za-z0-9_-]{20,}/gi],
  ['aws_key', /\bAKIA[0-9A-Z]{16}\b/g],
  ['github_token', /\bghp_[A-Za-z0-9]{36}\b/g],
  ['github_token', /\bgithub_pat_[A-Za-z0-9_]{82}\b/g],
  ['email', /\b[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}\b/g],
]

/**
 * What every pattern above needs somewhere in the text: three digits in a row (card, SSN), a key prefix with its
 * separator, `AKIA`, `ghp_` / `github_pat_`, or an `@`. A reply without any of them (nearly all) is returned after one
 * cheap scan instead of eight. Keep it in step with PATTERNS: a pattern it does not admit is never applied.
 */
const MAY_CONTAIN_PII = /\d{3}|@|(?:sk|pk|api|secret|token|auth)[-_]|akia|ghp_|github_pat_/i

/**
 * Replaces card numbers, US social security numbers, API keys, AWS and GitHub keys and e-mail addresses with
 * `[REDACTED:<kind>]`. Returns the text and the kinds found, each once, in the order they were first replaced.
 */
export function redactPii(text: string): { text: string; types: PiiType[] } {
  const types: PiiType[] = []
  if (!MAY_CONTAIN_PII.test(text)) return { text, types }
  let out = text
  for (const [type, pattern] of PATTERNS) {
    out = out.replace(pattern, () => {
      if (!types.includes(type)) types.push(type)
      return `[REDACTED:${type}]`
    })
  }
  return { text: out, types }
}
