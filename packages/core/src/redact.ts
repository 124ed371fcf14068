/**
 * The one redaction point. Log lines, error messages that echo input, memories and snapshots all pass through
 * `maskSecrets`; structured log objects have the fields in `REDACT_KEYS` replaced by the logger. Both write `CENSOR`.
 */
export const CENSOR = '[REDACTED]'

/** Object keys whose values are credentials wherever they appear in a log object. */
export const REDACT_KEYS = [
  'token',
  'authToken',
  'auth_token',
  'apiKey',
  'api_key',
  'authorization',
  'Authorization',
  'password',
  'secret',
  'inboundSecret',
  'inbound_secret',
  'credentials',
] as const

/** The pino `redact.paths` for `REDACT_KEYS`: at the top level, one level down, and inside a `headers` bag. */
export function redactPaths(): string[] {
  const paths: string[] = []
  for (const key of REDACT_KEYS) {
    paths.push(key, `*.${key}`, `headers.${key}`, `*.headers.${key}`)
  }
  return paths
}

const BEARER = /\b(Bearer)\s+(?!\[REDACTED\])[^\s"',;]+/gi
// `name: value`, `"name":"value"`, `name=value` where the name says it holds a credential. The name's affixes are
// bounded so a long run without a separator cannot make the match quadratic.
const SECRET_FIELD =
  /("?)([A-Za-z0-9_.-]{0,40}(?:token|secret|passw(?:or)?d|key|credentials?|authorization|cookie)[A-Za-z0-9_.-]{0,40})\1(\s*[:=]\s*)("?)(?!Bearer\s)(?!\[REDACTED\])[^\s"',;}&]+/gi
// Known credential shapes, whatever surrounds them.
const CREDENTIAL_SHAPES: RegExp[] = [
  /-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?(?:-----END [A-Z ]*PRIVATE KEY-----|$)/g,
  /\bsk-[A-Za-z0-9_-]{16,}/g, // OpenAI / Anthropic style
  /\bgh[pousr]_[A-Za-z0-9]{20,}/g, // GitHub tokens
  /\bgithub_pat_[A-Za-z0-9_]{20,}/g,
  /\bxox[abposr]-[A-Za-z0-9-]{10,}/g, // Slack
  /\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/g, // AWS access key ids
  /\bAIza[0-9A-Za-z_-]{35}/g, // Google API keys
  /\bctx7_[A-Za-z0-9_-]{8,}/g,
  /\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/g, // JWTs
]
// Candidate runs for the entropy check: workspace tokens are 43 chars of base64url.
const LONG_RUN = /(?<![A-Za-z0-9_-])[A-Za-z0-9_-]{32,}(?![A-Za-z0-9_-])/g
const UUID_ANYWHERE = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi

/**
 * Masks credentials, not identifiers: bearer values, values of `token`/`secret`/`key`/`password`-named fields,
 * known credential shapes (`sk-…`, `ghp_…`, JWTs, AWS key ids, private key blocks, …) and high-entropy runs.
 * UUIDs (workspace, activity, delegation ids) stay readable, also inside longer names such as
 * `inbox-cursor-<uuid>`, and so do 32-hex idempotency keys and lowercase slugs.
 * Known secrets (a client's own token) are replaced literally first.
 */
export function maskSecrets(text: string, knownSecrets: readonly (string | undefined)[] = []): string {
  let out = text
  for (const secret of knownSecrets) {
    if (secret && secret.length >= 4) out = out.split(secret).join(CENSOR)
  }
  out = out.replace(BEARER, `$1 ${CENSOR}`)
  out = out.replace(
    SECRET_FIELD,
    (_m, q: string, name: string, sep: string, vq: string) => `${q}${name}${q}${sep}${vq}${CENSOR}`,
  )
  for (const shape of CREDENTIAL_SHAPES) out = out.replace(shape, CENSOR)
  out = out.replace(LONG_RUN, (run) => (looksLikeSecret(run) ? CENSOR : run))
  return out
}

/**
 * A long base64url run is a secret when, after taking out the UUIDs it contains, what is left is high-entropy:
 * upper case, lower case and digits mixed (tokens, base64), or a long dash-free segment mixing two classes
 * (hex digests, lowercase keys). 32-hex runs are idempotency keys, not secrets.
 */
function looksLikeSecret(run: string): boolean {
  if (run.length === 32 && /^[0-9a-f]+$/i.test(run)) return false
  for (const piece of run.replace(UUID_ANYWHERE, ' ').split(' ')) {
    if (piece.replace(/[-_]/g, '').length < 16) continue // short prefixes/suffixes around ids: `ws-`, `-retry-2`
    const classes = [/[a-z]/, /[A-Z]/, /[0-9]/].filter((c) => c.test(piece)).length
    if (classes === 3) return true
    if (classes === 2 && piece.split(/[-_]/).some((segment) => segment.length >= 24)) return true
  }
  return false
}

// Only the head of a large text is masked and shown. The cut falls on a separator so no token is split in two; a head
// that is one single run is masked whole.
const MASK_WINDOW = 8192
const RUN_CHAR = /[A-Za-z0-9_-]/

/** The head of `text` that masking looks at (all of it up to 8 KiB). */
export function excerptHead(text: string): string {
  if (text.length <= MASK_WINDOW) return text
  for (let i = MASK_WINDOW; i > 0; i--) {
    if (!RUN_CHAR.test(text[i] ?? '')) return text.slice(0, i)
  }
  return CENSOR
}
