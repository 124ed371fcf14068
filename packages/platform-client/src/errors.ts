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
  readonly retryAfterMs: number | undefined

  constructor(init: PlatformErrorInit) {
    super(init.message, init.cause === undefined ? undefined : { cause: init.cause })
    this.code = init.code
    this.endpoint = init.endpoint
    this.status = init.status
    this.bodyExcerpt = init.bodyExcerpt
    this.serverError = init.serverError
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

// Patterns for anything that looks like a credential in text the platform sent back to us.
const SECRET_PATTERNS: RegExp[] = [
  /\b(Bearer)\s+[^\s"',;]+/gi,
  /("?(?:auth_token|token|access_token|refresh_token|api_key|apikey|secret|password|platform_inbound_secret|authorization)"?\s*[:=]\s*"?)(?!Bearer\s)(?!\*\*\*)([^\s"',;}&]+)/gi,
  /\b(sk-[A-Za-z0-9_-]{16,})/g,
  // 32+ char base64url runs: workspace tokens are 43 chars of base64url.
  /(?<![A-Za-z0-9_-])[A-Za-z0-9_-]{32,}(?![A-Za-z0-9_-])/g,
]

/**
 * Replaces bearer tokens, `token=`/`"auth_token":` values and long base64url runs with `***`.
 * Known secrets (the client's own token) are replaced literally first.
 */
export function maskSecrets(text: string, knownSecrets: readonly (string | undefined)[] = []): string {
  let out = text
  for (const secret of knownSecrets) {
    if (secret && secret.length >= 4) out = out.split(secret).join(MASK)
  }
  out = out.replace(SECRET_PATTERNS[0]!, `$1 ${MASK}`)
  out = out.replace(SECRET_PATTERNS[1]!, `$1${MASK}`)
  out = out.replace(SECRET_PATTERNS[2]!, MASK)
  out = out.replace(SECRET_PATTERNS[3]!, (run) => (isUuidFragment(run) ? run : MASK))
  return out
}

// Ids stay readable: canonical UUIDs (workspace, activity ids) and 32-hex idempotency keys are not secrets.
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
function isUuidFragment(run: string): boolean {
  return UUID.test(run) || (run.length === 32 && /^[0-9a-f]+$/i.test(run))
}

/** Masked, single-line, at most {@link EXCERPT_MAX_CHARS} characters. */
export function bodyExcerpt(text: string, knownSecrets: readonly (string | undefined)[] = []): string {
  const masked = maskSecrets(text, knownSecrets).replace(/\s+/g, ' ').trim()
  return masked.length > EXCERPT_MAX_CHARS ? `${masked.slice(0, EXCERPT_MAX_CHARS - 1)}…` : masked
}
