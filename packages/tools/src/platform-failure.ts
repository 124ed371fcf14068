import { isPlatformError } from '@molecule/platform-client'

/** Short, actionable description of a failed platform call (never a stack trace, never the token). */
export function describeFailure(err: unknown, platformUrl?: string): string {
  if (isPlatformError(err)) {
    const status = err.status
    if (err.code === 'PLATFORM_UNREACHABLE') return `cannot reach platform at ${platformUrl ?? 'its URL'}`
    if (err.code === 'PLATFORM_TIMEOUT') return `platform at ${platformUrl ?? 'its URL'} timed out`
    if (status === 401 || status === 403) {
      return `HTTP ${status}${err.serverError ? ` (${err.serverError})` : ''}: the workspace token may be invalid or revoked`
    }
    if (status === 404)
      return `HTTP 404${err.serverError ? ` (${err.serverError})` : ''}: not registered on this platform`
    if (status !== undefined) {
      // 429 (rate limiter) and 503 (busy, waking, datastore) carry Retry-After: say when trying again makes sense.
      const retry =
        err.retryAfterMs !== undefined && (status === 429 || status === 503)
          ? `; retry after ${Math.max(1, Math.ceil(err.retryAfterMs / 1000))} s`
          : ''
      return `HTTP ${status}${err.serverError ? ` (${err.serverError})` : ''}${retry}`
    }
    return err.message
  }
  return err instanceof Error ? err.message : String(err)
}

export function statusOf(err: unknown): number | undefined {
  return isPlatformError(err) ? err.status : undefined
}
