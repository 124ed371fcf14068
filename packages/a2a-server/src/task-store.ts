import { isTerminalState, type Task } from '@molecule/adapter-core'

/**
 * Where tasks live between requests. Methods may return promises so a database-backed store fits;
 * the in-memory default answers synchronously. Stored tasks are v0.3-shaped and owned by the store:
 * the server writes the same object back after each state change.
 */
export interface TaskStore {
  get(taskId: string): Task | undefined | Promise<Task | undefined>
  set(task: Task): void | Promise<void>
  delete(taskId: string): void | Promise<void>
  /** Newest first, optionally filtered by context; used by v1.0 `ListTasks`. */
  list?(filter: { contextId?: string; limit: number }): Task[] | Promise<Task[]>
}

export interface InMemoryTaskStoreOptions {
  /** Most tasks kept; beyond it the least recently used ~6% are dropped in one batch. Default 10,000. */
  maxEntries?: number
  /** How long a finished task stays readable (tasks/get). Default 1 hour. */
  terminalTtlMs?: number
  /** Period of the background sweep of expired tasks (unref'd timer). Default 60 s; 0 disables. */
  sweepIntervalMs?: number
  now?: () => number
}

interface Entry {
  task: Task
  /** 0 while the task can still change. */
  expiresAt: number
  /** Read or written since eviction last looked at it (second-chance LRU). */
  used: boolean
}

/**
 * Bounded in-memory store: at most `maxEntries` tasks, evicting least recently used ones, and a TTL
 * for tasks in a terminal state. Unbounded stores are the classic A2A memory leak (see the SDK's
 * InMemoryTaskStore).
 *
 * Recency is tracked with a "used" bit (second-chance / CLOCK) instead of re-inserting on every
 * read: a JS Map keeps deleted slots until it rehashes, so delete+set per access makes hot lookups
 * and "find the oldest" scans walk thousands of holes.
 */
export class InMemoryTaskStore implements TaskStore {
  readonly #entries = new Map<string, Entry>()
  readonly #maxEntries: number
  readonly #ttl: number
  readonly #now: () => number
  #timer: NodeJS.Timeout | undefined

  constructor(options: InMemoryTaskStoreOptions = {}) {
    this.#maxEntries = Math.max(1, options.maxEntries ?? 10_000)
    this.#ttl = Math.max(0, options.terminalTtlMs ?? 3_600_000)
    this.#now = options.now ?? Date.now
    const sweep = options.sweepIntervalMs ?? 60_000
    if (sweep > 0) {
      this.#timer = setInterval(() => this.sweep(), sweep)
      this.#timer.unref()
    }
  }

  get size(): number {
    return this.#entries.size
  }

  get(taskId: string): Task | undefined {
    const entry = this.#entries.get(taskId)
    if (entry === undefined) return undefined
    if (entry.expiresAt !== 0 && entry.expiresAt <= this.#now()) {
      this.#entries.delete(taskId)
      return undefined
    }
    entry.used = true
    return entry.task
  }

  set(task: Task): void {
    const expiresAt = isTerminalState(task.status.state) ? this.#now() + this.#ttl : 0
    const entry = this.#entries.get(task.id)
    if (entry !== undefined) {
      entry.task = task
      entry.expiresAt = expiresAt
      entry.used = true
      return
    }
    this.#entries.set(task.id, { task, expiresAt, used: false })
    if (this.#entries.size > this.#maxEntries) this.#evict()
  }

  /**
   * Drops entries down to `maxEntries - maxEntries/16` in one pass over insertion order: expired
   * and unused entries go, used ones get a second chance (moved to the back, bit cleared). Batching
   * keeps the cost per insert constant.
   */
  #evict(): void {
    const target = this.#maxEntries - Math.floor(this.#maxEntries / 16)
    const now = this.#now()
    let budget = this.#entries.size
    for (const [id, entry] of this.#entries) {
      if (this.#entries.size <= target || budget-- <= 0) break
      this.#entries.delete(id)
      if (entry.used && (entry.expiresAt === 0 || entry.expiresAt > now)) {
        entry.used = false
        this.#entries.set(id, entry)
      }
    }
    // Everything was recently used: fall back to plain insertion order.
    for (const id of this.#entries.keys()) {
      if (this.#entries.size <= target) break
      this.#entries.delete(id)
    }
  }

  delete(taskId: string): void {
    this.#entries.delete(taskId)
  }

  list(filter: { contextId?: string; limit: number }): Task[] {
    const out: Task[] = []
    const now = this.#now()
    const all = [...this.#entries.values()]
    for (let i = all.length - 1; i >= 0 && out.length < filter.limit; i--) {
      const entry = all[i] as Entry
      if (entry.expiresAt !== 0 && entry.expiresAt <= now) continue
      if (filter.contextId !== undefined && entry.task.contextId !== filter.contextId) continue
      out.push(entry.task)
    }
    return out
  }

  /** Drops every expired task now. */
  sweep(): void {
    const now = this.#now()
    for (const [id, entry] of this.#entries) {
      if (entry.expiresAt !== 0 && entry.expiresAt <= now) this.#entries.delete(id)
    }
  }

  close(): void {
    if (this.#timer) clearInterval(this.#timer)
    this.#timer = undefined
  }
}
