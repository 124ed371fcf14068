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
  /** Most tasks kept; the least recently used go first. Default 10,000. */
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
}

/**
 * Bounded in-memory store: LRU by access over at most `maxEntries` tasks, and a TTL for tasks in a
 * terminal state. Unbounded stores are the classic A2A memory leak (see the SDK's InMemoryTaskStore).
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
    // Re-insert to mark as most recently used.
    this.#entries.delete(taskId)
    this.#entries.set(taskId, entry)
    return entry.task
  }

  set(task: Task): void {
    const expiresAt = isTerminalState(task.status.state) ? this.#now() + this.#ttl : 0
    this.#entries.delete(task.id)
    this.#entries.set(task.id, { task, expiresAt })
    while (this.#entries.size > this.#maxEntries) {
      const oldest = this.#entries.keys().next().value as string
      this.#entries.delete(oldest)
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
