import { PlatformClientError } from './errors.js'
import { SHORT_POOL_SOCKETS } from './http-transport.js'
import { type LineWaiter, waitInLine, wakeWaiter } from './line-wait.js'
import { type Line, leave } from './linked-line.js'

/**
 * Calls that take turns: at most `limit` of the calls given to `run` are in progress at once, the others wait, first
 * come first served.
 *
 * Why: the loops of a bridge's workspaces wake on one shared instant (`alignedDelay`). Started together, a hundred
 * polls would wait in the connection pool's queue with their async frames, timers and request bytes alive, and each
 * scavenge that runs inside the burst would copy them and then promote them to old space for a mark-compact to
 * reclaim — most of what an idle bridge spent on garbage collection. Taking turns keeps alive only what the
 * connections can carry (the default limit is the pool's connection count), and the burst takes no longer, as those
 * connections were the limit anyway.
 */
export class Turns {
  #running = 0
  #waitingCount = 0
  readonly #waiting: Line<LineWaiter> = { first: undefined, last: undefined }

  constructor(readonly limit: number = SHORT_POOL_SOCKETS) {
    if (!Number.isInteger(limit) || limit < 1) {
      throw new PlatformClientError(
        'TURNS_LIMIT_INVALID',
        `Turns: limit must be a whole number ≥ 1, got ${String(limit)}.`,
        {
          path: 'limit',
          fix: `Pass how many calls may run at once, or leave it out (${SHORT_POOL_SOCKETS}).`,
        },
      )
    }
  }

  /** Calls in progress now. */
  get running(): number {
    return this.#running
  }

  /** Calls waiting for their turn now. */
  get waiting(): number {
    return this.#waitingCount
  }

  /**
   * Runs `work` once fewer than `limit` others run, and settles as it does. A `signal` that aborts before the call
   * starts (or has already) rejects it with the signal's reason, and `work` never runs.
   */
  run<T>(work: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    if (signal?.aborted) return Promise.reject(signal.reason)
    if (this.#running < this.limit) {
      this.#running++
      return this.#start(work)
    }
    return this.#turn(signal).then(() => this.#start(work))
  }

  /**
   * Plain promise code rather than an async function: a loop's call then allocates one extra promise, not a
   * generator and its resumption closures that would live as long as the call.
   */
  #start<T>(work: () => Promise<T>): Promise<T> {
    let result: Promise<T>
    try {
      result = Promise.resolve(work()) // the same promise when `work` returns a native one
    } catch (err) {
      this.#release()
      return Promise.reject(err)
    }
    result.then(this.#released, this.#released)
    return result
  }

  readonly #released = (): void => this.#release()

  /** Waits in line; the slot of a finished call passes to the first waiter directly. */
  #turn(signal: AbortSignal | undefined): Promise<void> {
    this.#waitingCount++
    return waitInLine(this.#waiting, signal, this.#left)
  }

  readonly #left = (): void => {
    this.#waitingCount--
  }

  #release(): void {
    const next = this.#waiting.first
    if (next === undefined) {
      this.#running--
      return
    }
    leave(this.#waiting, next)
    this.#waitingCount--
    wakeWaiter(next)
  }
}
