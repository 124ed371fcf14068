/**
 * Milliseconds until the next multiple of `intervalMs` on the wall clock. Loops that wait this long instead of a plain
 * `intervalMs` fire on one shared grid: a bridge serving a hundred workspaces wakes once per interval for all their
 * polls (or heartbeats), not a hundred times at drifting moments, and its pooled connections stay warm.
 */
export function alignedDelay(intervalMs: number, now = Date.now()): number {
  if (!(intervalMs > 0)) return 0
  return intervalMs - (now % intervalMs)
}
