import { onAbort } from './abort-watch.js'
import { alignedDelay } from './aligned-delay.js'
import { join, type Line, type LineNode, leave, takeAll } from './linked-line.js'

interface Waiter extends LineNode<Waiter> {
  readonly resolve: () => void
  stopWatching: (() => void) | undefined
}

/** One point of the grid: its timer and the waiters it wakes, in the order they came. */
interface GridPoint extends Line<Waiter> {
  readonly at: number
  timer: NodeJS.Timeout | undefined
}

/** Grid points being waited for, by wall-clock time (ms since the epoch). */
const POINTS = new Map<number, GridPoint>()

/**
 * Resolves at the next multiple of `intervalMs` on the wall clock (as `alignedDelay` counts it), or rejects with the
 * signal's reason as soon as `signal` aborts. Every waiter of the process for the same point shares one timer: a
 * bridge's hundred poll loops cost one timer per poll instant, where a timer each cost a hundred — node keeps a timer
 * list per distinct duration, and loops that compute their delay a few milliseconds apart get a list each.
 */
export function untilGridPoint(intervalMs: number, signal?: AbortSignal): Promise<void> {
  if (signal?.aborted) return Promise.reject(signal.reason)
  const now = Date.now()
  const at = now + alignedDelay(intervalMs, now)
  const point = POINTS.get(at) ?? schedule(at, at - now)
  return new Promise<void>((resolve, reject) => {
    const waiter: Waiter = { resolve, stopWatching: undefined, prev: undefined, next: undefined }
    join(point, waiter)
    if (signal) {
      waiter.stopWatching = onAbort(signal, () => {
        depart(point, waiter)
        reject(signal.reason)
      })
    }
  })
}

function schedule(at: number, delay: number): GridPoint {
  const point: GridPoint = { at, timer: undefined, first: undefined, last: undefined }
  POINTS.set(at, point)
  point.timer = setTimeout(() => {
    POINTS.delete(at)
    takeAll(point, wake)
  }, delay)
  return point
}

function wake(waiter: Waiter): void {
  waiter.stopWatching?.()
  waiter.resolve()
}

/** An aborted waiter leaves; the last one to leave takes the timer with it, so it keeps no process alive. */
function depart(point: GridPoint, waiter: Waiter): void {
  leave(point, waiter)
  if (point.first === undefined) {
    clearTimeout(point.timer)
    POINTS.delete(point.at)
  }
}
