/**
 * Scrubbing for the pre-stop snapshot: anything that looks like a credential is replaced by a typed
 * `[REDACTED:<LABEL>]` marker so a snapshot on the config volume never carries a usable secret. Patterns run most
 * specific first so `OPENAI_API_KEY=sk-…` is labelled API_KEY rather than SK_TOKEN. Running it twice is a no-op
 * because no marker matches any pattern.
 */
const PATTERNS: ReadonlyArray<readonly [RegExp, string]> = [
  [/\b[A-Z][A-Z0-9_]*_API_KEY=(?!\[REDACTED:)\S+/gi, 'API_KEY'],
  [/\b[A-Z][A-Z0-9_]*_TOKEN=(?!\[REDACTED:)\S+/gi, 'TOKEN'],
  [/\b[A-Z][A-Z0-9_]*_SECRET=(?!\[REDACTED:)\S+/gi, 'SECRET'],
  [/\bBearer (?!\[REDACTED:)\S+/g, 'BEARER_TOKEN'],
  [/\bsk-[A-Za-z0-9_-]{16,}/g, 'SK_TOKEN'],
  [/\bghp_[A-Za-z0-9]{20,}/g, 'GITHUB_PAT'],
  [/\bghs_[A-Za-z0-9]{20,}/g, 'GITHUB_SERVER_TOKEN'],
  [/\bgithub_pat_[A-Za-z0-9_]{60,}/g, 'GITHUB_PAT_V2'],
  [/\bAKIA[A-Z0-9]{16}\b/g, 'AWS_ACCESS_KEY'],
  [/\bcfut_[A-Za-z0-9_-]{32,}/g, 'CF_TOKEN'],
  [/\bmol_pk_[A-Za-z0-9_-]{20,}/g, 'MOL_PK'],
  [/\bctx7_[A-Za-z0-9]+/g, 'CTX7_TOKEN'],
  [/[A-Za-z0-9+/]{33,}={0,2}/g, 'BASE64_BLOB'],
]

const SANDBOX_MARKERS = ['source=sandbox', 'tool=run_code', '[sandbox_output]']

export function scrubContent(text: string): string {
  let out = text
  for (const [pattern, label] of PATTERNS) {
    // Keys like `OPENAI_API_KEY=` keep their name so the snapshot still says which variable was there.
    out = out.replace(pattern, (match) => {
      const eq = match.indexOf('=')
      return label === 'API_KEY' || label === 'TOKEN' || label === 'SECRET'
        ? `${match.slice(0, eq + 1)}[REDACTED:${label}]`
        : `[REDACTED:${label}]`
    })
  }
  return out
}

/** Sandbox output may hold anything the agent's code printed; it is dropped, not scrubbed. */
export function isSandboxContent(text: string): boolean {
  const lower = text.toLowerCase()
  return SANDBOX_MARKERS.some((marker) => lower.includes(marker))
}

/** Deep copy with every string scrubbed; string items of arrays that are sandbox content are dropped. */
export function deepScrub(value: unknown): unknown {
  if (typeof value === 'string') return scrubContent(value)
  if (Array.isArray(value)) {
    return value
      .filter((item) => !(typeof item === 'string' && isSandboxContent(item)))
      .map((item) => deepScrub(item))
  }
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {}
    for (const [key, inner] of Object.entries(value)) out[key] = deepScrub(inner)
    return out
  }
  return value
}
