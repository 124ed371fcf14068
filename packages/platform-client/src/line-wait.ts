import { onAbort } from './abort-watch.js'
import { join, type Line, type LineNode, leave } from './linked-line.js'

/** One caller waiting on a `Line` until it is woken or its signal aborts. */
export interface LineWaiter extends LineNode<LineWaiter> {
  readonly wake: () => void
  stopWatching: (() => void) | undefined
}

/**
 * Joins `line` and resolves when `wakeWaiter` is given this waiter. An abort of `signal` first takes the waiter off
 * the line, then calls `left` (the owner's bookkeeping), then rejects with the signal's reason.
 */
export function waitInLine(
  line: Line<LineWaiter>,
  signal: AbortSignal | undefined,
  left?: () => void,
): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const waiter: LineWaiter = { wake: resolve, stopWatching: undefined, prev: undefined, next: undefined }
    join(line, waiter)
    if (signal) {
      waiter.stopWatching = onAbort(signal, () => {
        leave(line, waiter)
        left?.()
        reject(signal.reason)
      })
    }
  })
}

/** Wakes a waiter already taken off its line: its signal is no longer watched. */
export function wakeWaiter(waiter: LineWaiter): void {
  waiter.stopWatching?.()
  waiter.wake()
}
