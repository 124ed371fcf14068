import { alignedDelay } from './aligned-delay.js'
import { type LineWaiter, waitInLine, wakeWaiter } from './line-wait.js'
import { type Line, takeAll } from './linked-line.js'

/** One point of the grid: its timer and the waiters it wakes, in the order they came. */
interface GridPoint extends Line<LineWaiter> {
  timer: NodeJS.Timeout | undefined
  /** After an aborted waiter left: the last one to leave takes the timer with it, so it keeps no process alive. */
  left: () => void
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
  return waitInLine(point, signal, point.left)
}

function schedule(at: number, delay: number): GridPoint {
  const point: GridPoint = { timer: undefined, left: () => {}, first: undefined, last: undefined }
  point.left = () => {
    if (point.first !== undefined) return
    clearTimeout(point.timer)
    POINTS.delete(at)
  }
  POINTS.set(at, point)
  point.timer = setTimeout(() => {
    POINTS.delete(at)
    takeAll(point, wakeWaiter)
  }, delay)
  return point
}
