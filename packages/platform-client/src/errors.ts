/** Failure classes of a platform call; callers branch on these, never on message text. */
export type PlatformErrorCode =
  | 'PLATFORM_HTTP'
  | 'PLATFORM_TIMEOUT'
  | 'PLATFORM_UNREACHABLE'
  | 'PLATFORM_BAD_RESPONSE'
  | 'PLATFORM_UNAUTHORIZED'

export interface PlatformErrorInit {
  code: PlatformErrorCode
  message: string
  /** `METHOD /path` of the call, without query string. */
  endpoint: string
  status?: number
  bodyExcerpt?: string
  /** The platform's own `error` text from a JSON error body, masked. */
  serverError?: string
  /** The platform's `hint` text from a JSON error body (e.g. how to enable broadcast, why a workspace is gone), masked. */
  serverHint?: string
  /** Delay the platform asked for via `Retry-After` (429/503), in ms. */
  retryAfterMs?: number
  cause?: unknown
}

/**
 * An error talking to the platform. It never carries the bearer token: body excerpts are masked and capped,
 * and the request headers are not kept.
 */
export class PlatformError extends Error {
  override readonly name = 'PlatformError'
  readonly code: PlatformErrorCode
  readonly endpoint: string
  readonly status: number | undefined
  readonly bodyExcerpt: string | undefined
  readonly serverError: string | undefined
  readonly serverHint: string | undefined
  readonly retryAfterMs: number | undefined

  constructor(init: PlatformErrorInit) {
    super(init.message, init.cause === undefined ? undefined : { cause: init.cause })
    this.code = init.code
    this.endpoint = init.endpoint
    this.status = init.status
    this.bodyExcerpt = init.bodyExcerpt
    this.serverError = init.serverError
    this.serverHint = init.serverHint
    this.retryAfterMs = init.retryAfterMs
  }
}

export function isPlatformError(err: unknown, code?: PlatformErrorCode): err is PlatformError {
  return err instanceof PlatformError && (code === undefined || err.code === code)
}

/** A local misuse or file problem (bad token value, unwritable configs dir). */
export class PlatformClientError extends Error {
  override readonly name = 'PlatformClientError'
  readonly code: string
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.code = code
  }
}

export const EXCERPT_MAX_CHARS = 300

const MASK = '***'

const BEARER = /\b(Bearer)\s+[^\s"',;]+/gi
// `name: value`, `"name":"value"`, `name=value` where the name says it holds a credential. The name's affixes are
// bounded so a long run without a separator cannot make the match quadratic.
const SECRET_FIELD =
  /("?)([A-Za-z0-9_.-]{0,40}(?:token|secret|passw(?:or)?d|key|credentials?|authorization|cookie)[A-Za-z0-9_.-]{0,40})\1(\s*[:=]\s*)("?)(?!Bearer\s)(?!\*\*\*)[^\s"',;}&]+/gi
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
 * Known secrets (the client's own token) are replaced literally first.
 */
export function maskSecrets(text: string, knownSecrets: readonly (string | undefined)[] = []): string {
  let out = text
  for (const secret of knownSecrets) {
    if (secret && secret.length >= 4) out = out.split(secret).join(MASK)
  }
  out = out.replace(BEARER, `$1 ${MASK}`)
  out = out.replace(
    SECRET_FIELD,
    (_m, q: string, name: string, sep: string, vq: string) => `${q}${name}${q}${sep}${vq}${MASK}`,
  )
  for (const shape of CREDENTIAL_SHAPES) out = out.replace(shape, MASK)
  out = out.replace(LONG_RUN, (run) => (looksLikeSecret(run) ? MASK : run))
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

// Only the head of a large body is masked and shown. The cut falls on a separator so no token is split in two; a head
// that is one single run is masked whole.
const MASK_WINDOW = 8192
const RUN_CHAR = /[A-Za-z0-9_-]/

/** The head of `text` that masking looks at (all of it up to 8 KiB). */
export function excerptHead(text: string): string {
  if (text.length <= MASK_WINDOW) return text
  for (let i = MASK_WINDOW; i > 0; i--) {
    if (!RUN_CHAR.test(text[i] ?? '')) return text.slice(0, i)
  }
  return MASK
}

/** Masked, single-line, at most {@link EXCERPT_MAX_CHARS} characters. */
export function bodyExcerpt(text: string, knownSecrets: readonly (string | undefined)[] = []): string {
  const masked = maskSecrets(excerptHead(text), knownSecrets).replace(/\s+/g, ' ').trim()
  return masked.length > EXCERPT_MAX_CHARS ? `${masked.slice(0, EXCERPT_MAX_CHARS - 1)}…` : masked
}
