import { RpcError, RpcErrorCode } from './jsonrpc.js'

/** What a refused task's client is told to wait before trying again. */
const BUSY_RETRY_AFTER_SECONDS = 5

interface Waiter {
  resolve: () => void
  reject: (err: unknown) => void
}

/**
 * At most `max` tasks run at once (each run may hold a CLI process); a task beyond that waits for a
 * slot in a FIFO queue of at most `maxQueued`, and one beyond the queue is refused with HTTP 503,
 * `Retry-After` and -32603 `busy: …`. A slot is held from the start of a run until its final state
 * for that run (finished, canceled, or waiting for input).
 */
export class TaskSlots {
  #active = 0
  readonly #queue: Waiter[] = []

  constructor(
    readonly max: number,
    readonly maxQueued: number,
  ) {}

  /**
   * Takes a slot: `true` when one was free (no promise on the hot path), else a promise that
   * resolves when a slot is handed over. Throws the busy error when the queue is full.
   */
  take(): true | Promise<void> {
    if (this.#active < this.max) {
      this.#active++
      return true
    }
    if (this.#queue.length >= this.maxQueued) throw this.#busy()
    return new Promise((resolve, reject) => {
      this.#queue.push({ resolve, reject })
    })
  }

  /** Gives a slot back: to the longest waiting task, or free. */
  release(): void {
    const next = this.#queue.shift()
    if (next) next.resolve()
    else this.#active--
  }

  /** Refuses every waiting task with `err` (the server is draining). */
  rejectWaiting(err: unknown): void {
    for (const waiter of this.#queue.splice(0)) waiter.reject(err)
  }

  #busy(): RpcError {
    const err = new RpcError(
      RpcErrorCode.InternalError,
      `busy: ${this.#active} tasks running and ${this.#queue.length} waiting, the most this agent takes; retry after ${BUSY_RETRY_AFTER_SECONDS} s`,
    )
    err.httpStatus = 503
    err.retryAfterSeconds = BUSY_RETRY_AFTER_SECONDS
    return err
  }
}
