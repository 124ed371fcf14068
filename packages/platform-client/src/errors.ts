import { excerptHead, MoleculeError, maskSecrets } from '@molecule/core'
import type { z } from 'zod'

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

/** A 2xx body that lacks a field the client relies on: names the first offending field. */
export function responseShapeError(
  endpoint: string,
  status: number,
  error: z.ZodError,
  excerpt?: string,
): PlatformError {
  const issue = error.issues[0]
  const where = issue?.path.length ? issue.path.join('.') : '(root)'
  return new PlatformError({
    code: 'PLATFORM_BAD_RESPONSE',
    endpoint,
    status,
    bodyExcerpt: excerpt,
    message: `${endpoint}: unexpected response shape at ${where}: ${issue?.message ?? 'invalid'}`,
    cause: error,
  })
}

/** A local misuse or file problem (bad token value, unwritable configs dir): the local `MoleculeError` family. */
export class PlatformClientError extends MoleculeError {}

export const EXCERPT_MAX_CHARS = 300

/** Masked, single-line, at most {@link EXCERPT_MAX_CHARS} characters. */
export function bodyExcerpt(text: string, knownSecrets: readonly (string | undefined)[] = []): string {
  const masked = maskSecrets(excerptHead(text), knownSecrets).replace(/\s+/g, ' ').trim()
  return masked.length > EXCERPT_MAX_CHARS ? `${masked.slice(0, EXCERPT_MAX_CHARS - 1)}…` : masked
}
