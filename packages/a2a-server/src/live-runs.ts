/** Marks an id whose run finished: the entry stays in the Map until the next sweep. */
const GONE = Symbol('gone')

/** Finished entries kept at least this many before a sweep (and never more than the live ones, beyond it). */
const SWEEP_AT = 64

/**
 * The runs in progress, by task id — a Map a busy server adds to and deletes from on every task. A plain `Map`
 * with that use is reallocated by V8 on nearly every task: a Map whose last entry is deleted shrinks its hash table
 * at once, and the table of a long-lived Map sits in old space, so each task left an old-space table behind
 * (≈ 0.5 µs per request under load, page faults included, and garbage for the major collector). Here a finished run's
 * entry is only marked gone; once gone entries are at least `SWEEP_AT` and outnumber the live ones, the live ones move
 * to a fresh Map in one pass. The Map then holds at most `max(SWEEP_AT, live)` gone ids, and no run once finished.
 */
export class LiveRuns<Run> {
  #map = new Map<string, Run | typeof GONE>()
  #live = 0
  #gone = 0

  /** Runs in progress. */
  get size(): number {
    return this.#live
  }

  /** Ids held, in progress or gone (at most `size + max(SWEEP_AT, size)`); for tests and diagnostics. */
  get retained(): number {
    return this.#map.size
  }

  get(taskId: string): Run | undefined {
    const run = this.#map.get(taskId)
    return run === GONE ? undefined : run
  }

  has(taskId: string): boolean {
    const run = this.#map.get(taskId)
    return run !== undefined && run !== GONE
  }

  /** Adds (or replaces) the run of `taskId`; a new run comes last in `values()`, as in a Map. */
  set(taskId: string, run: Run): void {
    const held = this.#map.get(taskId)
    if (held === GONE) {
      this.#map.delete(taskId)
      this.#gone--
    }
    if (held === undefined || held === GONE) this.#live++
    this.#map.set(taskId, run)
  }

  /** The run of `taskId` finished: false when there was none in progress. */
  delete(taskId: string): boolean {
    if (!this.has(taskId)) return false
    this.#map.set(taskId, GONE)
    this.#live--
    this.#gone++
    if (this.#gone >= SWEEP_AT && this.#gone >= this.#live) this.#sweep()
    return true
  }

  /** The runs in progress, oldest first. */
  *values(): Generator<Run> {
    for (const run of this.#map.values()) if (run !== GONE) yield run
  }

  #sweep(): void {
    const live = new Map<string, Run | typeof GONE>()
    for (const [taskId, run] of this.#map) if (run !== GONE) live.set(taskId, run)
    this.#map = live
    this.#gone = 0
  }
}
