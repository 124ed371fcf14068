import { isPlatformError } from './errors.js'
import type { Logger } from './logger.js'

export interface FailureLogOptions {
  /** After the first failure, log again every N consecutive failures… */
  everyFailures?: number
  /** …or when this long has passed since the last failure line. */
  everyMs?: number
  now?: () => number
  /** Appended as `Fix: …` to lines about a 401: what a person has to do, since retrying alone cannot help. */
  unauthorizedFix?: string
}

/**
 * Loud but bounded logging for a background loop: the first failure, then at most one line per
 * `everyFailures` failures or per `everyMs`, and one recovery line. A platform outage of hours must not flood
 * stderr, and must not go unnoticed either.
 */
export class FailureLog {
  private consecutiveFailures = 0
  private lastLoggedAt = 0
  private readonly everyFailures: number
  private readonly everyMs: number
  private readonly now: () => number
  private readonly unauthorizedFix: string | undefined

  constructor(
    private readonly logger: Logger,
    private readonly what: string,
    options: FailureLogOptions = {},
  ) {
    this.everyFailures = Math.max(1, options.everyFailures ?? 20)
    this.everyMs = options.everyMs ?? 60_000
    this.now = options.now ?? Date.now
    this.unauthorizedFix = options.unauthorizedFix
  }

  get consecutive(): number {
    return this.consecutiveFailures
  }

  failure(err: unknown, context: Record<string, unknown> = {}): void {
    this.consecutiveFailures++
    const n = this.consecutiveFailures
    const now = this.now()
    const due = n === 1 || n % this.everyFailures === 0 || now - this.lastLoggedAt >= this.everyMs
    if (!due) return
    this.lastLoggedAt = now
    const details = isPlatformError(err)
      ? { code: err.code, status: err.status, endpoint: err.endpoint }
      : { code: (err as { code?: unknown })?.code }
    const unauthorized = isPlatformError(err, 'PLATFORM_UNAUTHORIZED')
    const reason = err instanceof Error ? err.message : String(err)
    const fix = unauthorized && this.unauthorizedFix ? ` Fix: ${this.unauthorizedFix}` : ''
    const message = `${this.what} failed (${n} in a row): ${reason}${fix}`
    const line = { ...context, ...details, consecutiveFailures: n }
    if (unauthorized) this.logger.error(line, message)
    else this.logger.warn(line, message)
  }

  success(context: Record<string, unknown> = {}): void {
    if (this.consecutiveFailures > 0) {
      this.logger.info(
        { ...context, failures: this.consecutiveFailures },
        `${this.what} recovered after ${this.consecutiveFailures} failure(s)`,
      )
    }
    this.consecutiveFailures = 0
    this.lastLoggedAt = 0
  }
}
