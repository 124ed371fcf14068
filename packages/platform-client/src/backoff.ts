import { onAbort } from './abort-watch.js'

export interface RetryPolicy {
  /** Total tries of one call, including the first (1 = no retry). */
  attempts: number
  /** Upper bound of the first retry delay. */
  baseMs: number
  /** Cap of any single delay. */
  maxMs: number
}

export const DEFAULT_RETRY: RetryPolicy = { attempts: 3, baseMs: 200, maxMs: 5_000 }

/**
 * Exponential backoff with full jitter: a uniform delay in [0, min(maxMs, baseMs·2^retry)).
 * Full jitter spreads a fleet of workspaces that lost the platform at the same moment.
 */
export function backoffDelay(
  retry: number,
  policy: Pick<RetryPolicy, 'baseMs' | 'maxMs'>,
  random: () => number = Math.random,
): number {
  const ceiling = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.min(retry, 30))
  return Math.floor(random() * ceiling)
}

/** Resolves after `ms`, or rejects with the signal's reason as soon as `signal` aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (signal?.aborted) return Promise.reject(signal.reason)
  return new Promise((resolve, reject) => {
    const stopWatching = signal
      ? onAbort(signal, () => {
          clearTimeout(timer)
          reject(signal.reason)
        })
      : undefined
    const timer = setTimeout(() => {
      stopWatching?.()
      resolve()
    }, ms)
  })
}

/** Parses `Retry-After` (seconds or HTTP date) into ms; undefined when absent or junk. */
export function parseRetryAfter(value: string | null, now: number = Date.now()): number | undefined {
  if (!value) return undefined
  const seconds = Number(value)
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000
  const date = Date.parse(value)
  return Number.isNaN(date) ? undefined : Math.max(0, date - now)
}
