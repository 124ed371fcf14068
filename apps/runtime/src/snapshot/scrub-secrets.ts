import { maskKnownSecrets, maskSecrets } from '@molecule/core'

/**
 * Scrubbing for the pre-stop snapshot: anything that looks like a credential is replaced, so a snapshot on the config
 * volume never carries a usable secret. First the process's known secrets, then the typed patterns below leave a
 * `[REDACTED:<LABEL>]` marker that says what was there (most specific first, so `OPENAI_API_KEY=sk-…` is labelled
 * API_KEY rather than SK_TOKEN), then `maskSecrets` of `@molecule/core` — the one redaction point — takes whatever
 * is left (workspace tokens, password lines, …) and writes `[REDACTED]`. Running it twice is a no-op because no
 * marker matches any pattern.
 */
const PATTERNS: ReadonlyArray<readonly [RegExp, string]> = [
  [
    /-----BEGIN [A-Z ]*PRIVATE KEY(?: BLOCK)?-----[\s\S]*?(?:-----END [A-Z ]*PRIVATE KEY(?: BLOCK)?-----|$)/g,
    'PRIVATE_KEY',
  ],
  [/\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*/g, 'JWT'],
  [/\b[A-Z][A-Z0-9_]*_API_KEY=(?!\[REDACTED)\S+/gi, 'API_KEY'],
  [/\b[A-Z][A-Z0-9_]*_TOKEN=(?!\[REDACTED)\S+/gi, 'TOKEN'],
  [/\b[A-Z][A-Z0-9_]*_SECRET=(?!\[REDACTED)\S+/gi, 'SECRET'],
  [/\bBearer (?!\[REDACTED)\S+/g, 'BEARER_TOKEN'],
  [/\bsk-[A-Za-z0-9_-]{16,}/g, 'SK_TOKEN'],
  [/\bghp_[A-Za-z0-9]{20,}/g, 'GITHUB_PAT'],
  [/\bghs_[A-Za-z0-9]{20,}/g, 'GITHUB_SERVER_TOKEN'],
  [/\bgithub_pat_[A-Za-z0-9_]{60,}/g, 'GITHUB_PAT_V2'],
  [/\bAKIA[A-Z0-9]{16}\b/g, 'AWS_ACCESS_KEY'],
  [/\bcfut_[A-Za-z0-9_-]{32,}/g, 'CF_TOKEN'],
  [/\bmol_pk_[A-Za-z0-9_-]{20,}/g, 'MOL_PK'],
  [/\bctx7_[A-Za-z0-9]+/g, 'CTX7_TOKEN'],
  [/\b(?:xox[a-z](?:\.xox[a-z])?|xapp)-[A-Za-z0-9-]{10,}/g, 'SLACK_TOKEN'],
]

// A base64 blob: 33+ base64 characters in a row. The whole run around them goes, `-` and `_` included, so a
// base64url token is never cut in two with a piece left behind.
const BASE64_RUN = /(?<![A-Za-z0-9+/_-])[A-Za-z0-9+/_-]+={0,2}/g
const BASE64_CORE = /[A-Za-z0-9+/]{33}/

const NAMED = new Set(['API_KEY', 'TOKEN', 'SECRET'])
const SANDBOX_MARKERS = ['source=sandbox', 'tool=run_code', '[sandbox_output]']

export function scrubContent(text: string): string {
  let out = maskKnownSecrets(text)
  for (const [pattern, label] of PATTERNS) {
    // Keys like `OPENAI_API_KEY=` keep their name so the snapshot still says which variable was there.
    out = out.replace(pattern, (match) =>
      NAMED.has(label)
        ? `${match.slice(0, match.indexOf('=') + 1)}[REDACTED:${label}]`
        : `[REDACTED:${label}]`,
    )
  }
  out = out.replace(BASE64_RUN, (run) => (BASE64_CORE.test(run) ? '[REDACTED:BASE64_BLOB]' : run))
  return maskSecrets(out)
}

/** Sandbox output may hold anything the agent's code printed; it is dropped, not scrubbed. */
export function isSandboxContent(text: string): boolean {
  const lower = text.toLowerCase()
  return SANDBOX_MARKERS.some((marker) => lower.includes(marker))
}

/**
 * Deep copy with every string and every object key scrubbed; string items of arrays that are sandbox content are
 * dropped. Two keys that scrub to the same text both stay: the later one gets ` (2)`, ` (3)`, … appended.
 */
export function deepScrub(value: unknown): unknown {
  if (typeof value === 'string') return scrubContent(value)
  if (Array.isArray(value)) {
    return value
      .filter((item) => !(typeof item === 'string' && isSandboxContent(item)))
      .map((item) => deepScrub(item))
  }
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {}
    for (const [key, inner] of Object.entries(value))
      out[unusedKey(out, scrubContent(key))] = deepScrub(inner)
    return out
  }
  return value
}

function unusedKey(taken: Record<string, unknown>, key: string): string {
  if (!Object.hasOwn(taken, key)) return key
  let n = 2
  while (Object.hasOwn(taken, `${key} (${n})`)) n++
  return `${key} (${n})`
}
