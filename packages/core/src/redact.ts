import { knownSecrets } from './known-secrets.js'

/**
 * The one redaction point. Log lines, error messages that echo input, memories and snapshots all pass through
 * `maskSecrets`, which also replaces every secret the process remembered (`rememberSecret`); structured log objects
 * have the fields in `REDACT_KEYS` replaced by the logger as well. Both write `CENSOR`.
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

// A masked value is never masked again: `[REDACTED]`, or the typed `[REDACTED:<LABEL>]` of the snapshot scrubber.
const NOT_MASKED = '(?!\\[REDACTED[\\]:])'
const BEARER = new RegExp(`\\b(Bearer)\\s+${NOT_MASKED}[^\\s"',;]+`, 'gi')
// `name: value`, `"name":"value"`, `name=value` where the name says it holds a credential. The name's affixes are
// bounded so a long run without a separator cannot make the match quadratic. A quoted value is masked up to its
// closing quote (or the end of the line); a bare password runs to the end of the line (passwords may contain spaces), any other bare value
// to the next separator.
const NAME_AFFIX = '[A-Za-z0-9_.-]{0,40}'
// The closing quote is optional: a text cut in the middle of a value (an excerpt) still has it masked.
const QUOTED_VALUE = `"(?:[^"\\\\\\r\\n]|\\\\.)*"?|'(?:[^'\\\\\\r\\n]|\\\\.)*'?`
const PASSWORD_FIELD = new RegExp(
  `("?)(${NAME_AFFIX}(?:passw(?:or)?d|passphrase)${NAME_AFFIX})\\1(\\s*[:=]\\s*)${NOT_MASKED}(${QUOTED_VALUE}|[^\\s"'&][^\\r\\n"'&]*)`,
  'gi',
)
const SECRET_FIELD = new RegExp(
  `("?)(${NAME_AFFIX}(?:token|secret|key|credentials?|authorization|cookie)${NAME_AFFIX})\\1(\\s*[:=]\\s*)(?!Bearer\\s)${NOT_MASKED}(${QUOTED_VALUE}|[^\\s"',;}&]+)`,
  'gi',
)
// Known credential shapes, whatever surrounds them.
const CREDENTIAL_SHAPES: RegExp[] = [
  /-----BEGIN [A-Z ]*PRIVATE KEY(?: BLOCK)?-----[\s\S]*?(?:-----END [A-Z ]*PRIVATE KEY(?: BLOCK)?-----|$)/g,
  /\bsk-[A-Za-z0-9_-]{16,}/g, // OpenAI / Anthropic style
  /\bgh[pousr]_[A-Za-z0-9]{20,}/g, // GitHub tokens
  /\bgithub_pat_[A-Za-z0-9_]{20,}/g,
  /\bxox[a-z](?:\.xox[a-z])?-[A-Za-z0-9-]{10,}/g, // Slack bot, user, refresh tokens
  /\bxapp-[A-Za-z0-9-]{10,}/g, // Slack app-level tokens
  /\bhooks\.slack\.com\/services\/[A-Za-z0-9/_-]+/g, // Slack webhook URLs
  /\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/g, // AWS access key ids
  /\bAIza[0-9A-Za-z_-]{35}/g, // Google API keys
  /\bctx7_[A-Za-z0-9_-]{8,}/g,
  /\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*/g, // JWTs (an unsigned one has no third part)
]
// Candidate runs for the entropy check: workspace tokens are 43 chars of base64url.
const LONG_RUN = /(?<![A-Za-z0-9_-])[A-Za-z0-9_-]{32,}(?![A-Za-z0-9_-])/g
const UUID_ANYWHERE = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi

/** Replaces every occurrence of the process's known secrets (see `rememberSecret`) and of `extra`, longest first. */
export function maskKnownSecrets(text: string, extra: readonly (string | undefined)[] = []): string {
  let out = text
  const given = extra.filter((s): s is string => s !== undefined && s.length >= 4)
  const secrets =
    given.length === 0 ? knownSecrets() : [...given, ...knownSecrets()].sort((a, b) => b.length - a.length)
  for (const secret of secrets) {
    if (out.includes(secret)) out = out.split(secret).join(CENSOR)
  }
  return out
}

/**
 * Masks credentials, not identifiers: the process's known secrets and `extra` literally, bearer values,
 * values of `token`/`secret`/`key`/`password`-named fields, known credential shapes (`sk-…`, `ghp_…`, Slack tokens,
 * JWTs, AWS key ids, private key blocks, …) and high-entropy runs (workspace tokens). UUIDs (workspace, activity,
 * delegation ids) stay readable, also inside longer names such as `inbox-cursor-<uuid>`, and so do 32-hex
 * idempotency keys and lowercase slugs. Masking a masked text changes nothing.
 */
export function maskSecrets(text: string, extra: readonly (string | undefined)[] = []): string {
  let out = maskKnownSecrets(text, extra)
  out = out.replace(BEARER, `$1 ${CENSOR}`)
  for (const shape of CREDENTIAL_SHAPES) out = out.replace(shape, CENSOR)
  for (const field of [PASSWORD_FIELD, SECRET_FIELD]) {
    out = out.replace(field, (_m, q: string, name: string, sep: string, value: string) => {
      const quote = value.startsWith('"') || value.startsWith("'") ? (value[0] as string) : ''
      return `${q}${name}${q}${sep}${quote}${CENSOR}${quote}`
    })
  }
  out = out.replace(LONG_RUN, (run) => (looksLikeSecret(run) ? CENSOR : run))
  return out
}

/**
 * A long base64url run is a secret when, after taking out the UUIDs it contains, what is left is high-entropy:
 * upper case, lower case and digits mixed (tokens, base64), a long dash-free segment mixing two classes (hex
 * digests, lowercase keys), or 32+ letters where neither case is rare (a token that happens to hold no digit;
 * identifiers in camel or title case have one capital per word). 32-hex runs are idempotency keys, not secrets.
 */
function looksLikeSecret(run: string): boolean {
  if (run.length === 32 && /^[0-9a-f]+$/i.test(run)) return false
  for (const piece of run.replace(UUID_ANYWHERE, ' ').split(' ')) {
    const chars = piece.replace(/[-_]/g, '')
    if (chars.length < 16) continue // short prefixes/suffixes around ids: `ws-`, `-retry-2`
    const classes = [/[a-z]/, /[A-Z]/, /[0-9]/].filter((c) => c.test(piece)).length
    if (classes === 3) return true
    if (classes === 2 && piece.split(/[-_]/).some((segment) => segment.length >= 24)) return true
    if (classes === 2 && chars.length >= 32 && evenlyMixedCase(chars)) return true
  }
  return false
}

/** At least a quarter of the letters are capitals and at least a quarter are not. */
function evenlyMixedCase(chars: string): boolean {
  const upper = chars.replace(/[^A-Z]/g, '').length
  const lower = chars.replace(/[^a-z]/g, '').length
  return Math.min(upper, lower) >= 0.25 * (upper + lower)
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
