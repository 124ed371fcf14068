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
    if (status !== undefined) return `HTTP ${status}${err.serverError ? ` (${err.serverError})` : ''}`
    return err.message
  }
  return err instanceof Error ? err.message : String(err)
}

export function statusOf(err: unknown): number | undefined {
  return isPlatformError(err) ? err.status : undefined
}
