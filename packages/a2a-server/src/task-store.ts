import { isTerminalState, type Task } from '@molecule/adapter-core/a2a'
import { PackedArchive } from './packed-archive.js'
import { pack, packedField, unpack } from './packed-task.js'
import { type OwnerAwareStore, ownerOf, SET_OWNED, type StoredTask, withOwner } from './task-owner.js'

/**
 * Where tasks rest between runs. The server writes a task when a run of it ends — completed, failed,
 * canceled, or waiting for input or auth — and reads it for `tasks/get`, `ListTasks` and to continue
 * an interrupted task; while the executor runs, the task lives in the server itself. Methods may return
 * promises so a database-backed store fits; the in-memory default answers synchronously. Stored tasks
 * are v0.3-shaped, plus one property the server adds: `molecule:owner`, the identity of the caller that
 * created the task. A store must give it back with the task (keeping the object, or its JSON, does);
 * the server strips it from every answer, and a task read back without it opens to nobody.
 */
export interface TaskStore {
  get(taskId: string): Task | undefined | Promise<Task | undefined>
  set(task: Task): void | Promise<void>
  delete(taskId: string): void | Promise<void>
  /** Newest first, optionally filtered by context; used by v1.0 `ListTasks`. */
  list?(filter: { contextId?: string; limit: number }): Task[] | Promise<Task[]>
}

export interface InMemoryTaskStoreOptions {
  /**
   * Most tasks kept in each of the two forms (see the class comment); beyond it the least recently
   * used go first. Default 10,000.
   */
  maxEntries?: number
  /** Bytes of the packed archive of finished everyday tasks. Default 8 MiB. */
  maxArchiveBytes?: number
  /**
   * Bytes of all tasks kept, both forms and their whole history included (a task counts its JSON
   * length, measured once when stored). Beyond it the oldest finished tasks go first, tasks waiting
   * for input or auth last; a single task bigger than the budget is not kept. Default 64 MiB.
   */
  maxBytes?: number
  /** How long a finished task stays readable (tasks/get), from its final status timestamp. Default 1 hour. */
  terminalTtlMs?: number
  /** Period of the background sweep of expired tasks (unref'd timer). Default 60 s; 0 disables. */
  sweepIntervalMs?: number
  now?: () => number
}

/**
 * A task kept as an object, with the order it arrived in (to interleave with the archive in `list`)
 * and its size as counted against `maxBytes`.
 */
interface Kept {
  task: Task
  seq: number
  bytes: number
}

/**
 * Bounded in-memory store with a TTL for tasks in a terminal state, counted from their final status
 * `timestamp`. Unbounded stores are the classic A2A memory leak (see the SDK's InMemoryTaskStore).
 *
 * Two forms, each bounded: a finished task of the everyday shape (see `pack`) goes to a
 * `PackedArchive` outside the JS heap (at most `maxEntries` records and `maxArchiveBytes` bytes,
 * oldest first out, a read moves a record to the newest end), because every object or string kept
 * per task costs garbage-collector time on a busy server. Any other task is kept as an object in a
 * Map (at most `maxEntries`). There recency is a second chance on eviction for ids read since the
 * last pass (`#readSinceEviction`) instead of re-inserting on every read: a JS Map keeps deleted
 * slots until it rehashes, so delete+set per access makes lookups and "find the oldest" scans walk
 * thousands of holes.
 *
 * Both forms together stay within `maxBytes`, counting every task's size (a packed record's bytes, an
 * object's JSON length): counts alone do not bound memory when tasks carry megabytes of history.
 */
export class InMemoryTaskStore implements TaskStore, OwnerAwareStore {
  readonly #tasks = new Map<string, Kept>()
  readonly #archive: PackedArchive
  readonly #readSinceEviction = new Set<string>()
  readonly #maxEntries: number
  readonly #maxBytes: number
  /** Bytes of the object-form tasks (the archive counts its own). */
  #objectBytes = 0
  readonly #ttl: number
  readonly #now: () => number
  #seq = 0
  #timer: NodeJS.Timeout | undefined

  constructor(options: InMemoryTaskStoreOptions = {}) {
    this.#maxEntries = Math.max(1, options.maxEntries ?? 10_000)
    this.#archive = new PackedArchive(this.#maxEntries, options.maxArchiveBytes ?? 8 * 1024 * 1024)
    this.#maxBytes = Math.max(1, options.maxBytes ?? 64 * 1024 * 1024)
    this.#ttl = Math.max(0, options.terminalTtlMs ?? 3_600_000)
    this.#now = options.now ?? Date.now
    const sweep = options.sweepIntervalMs ?? 60_000
    if (sweep > 0) {
      this.#timer = setInterval(() => this.sweep(), sweep)
      this.#timer.unref()
    }
  }

  get size(): number {
    return this.#tasks.size + this.#archive.size
  }

  /** Bytes of the tasks kept, as counted against `maxBytes`. */
  get bytes(): number {
    return this.#objectBytes + this.#archive.bytes
  }

  /** Terminal and past its TTL. A terminal task without a timestamp never expires (LRU still bounds it). */
  #expired(task: Task, now: number): boolean {
    if (!isTerminalState(task.status.state) || task.status.timestamp === undefined) return false
    return this.#expiredAt(task.status.timestamp, now)
  }

  #expiredAt(timestamp: string, now: number): boolean {
    return Date.parse(timestamp) + this.#ttl <= now
  }

  get(taskId: string): Task | undefined {
    const now = this.#now()
    const kept = this.#tasks.get(taskId)
    if (kept !== undefined) {
      if (this.#expired(kept.task, now)) {
        this.delete(taskId)
        return undefined
      }
      this.#readSinceEviction.add(taskId)
      return kept.task
    }
    const record = this.#archive.get(taskId)
    if (record === undefined) return undefined
    if (this.#expiredAt(packedField(record.packed, 0), now)) {
      this.#archive.delete(taskId)
      return undefined
    }
    this.#archive.touch(taskId, record)
    return unpack(taskId, record.packed)
  }

  /** Keeps the task as given (its owner field, when it carries one, included). */
  set(task: Task): void {
    this.#put(task, ownerOf(task), task)
  }

  /** The server's write: the task and its owner apart, so a task that packs is never copied. */
  [SET_OWNED](task: Task, owner: string): void {
    this.#put(task, owner, undefined)
  }

  /** Stores `task` of `owner`; an object-form task is kept as `stored`, or a copy carrying the owner. */
  #put(task: Task, owner: string | undefined, stored: StoredTask | undefined): void {
    const packed = pack(task, owner)
    if (packed !== undefined && this.#archive.put(task.id, packed, this.#seq++)) {
      // It may have rested here before (input-required, then continued and finished).
      if (this.#tasks.size > 0) this.#remove(task.id)
      if (this.bytes > this.#maxBytes) this.#fitBudget(task.id)
      return
    }
    this.#archive.delete(task.id)
    const object = stored ?? withOwner(task, owner as string)
    const bytes = JSON.stringify(object).length
    if (bytes > this.#maxBytes) {
      this.#remove(task.id)
      return
    }
    // A known id is updated in place: it keeps its position (and age) in the Map.
    const kept = this.#tasks.get(task.id)
    if (kept !== undefined) {
      this.#objectBytes += bytes - kept.bytes
      kept.task = object
      kept.bytes = bytes
    } else {
      this.#tasks.set(task.id, { task: object, seq: this.#seq++, bytes })
      this.#objectBytes += bytes
      if (this.#tasks.size > this.#maxEntries) this.#evict()
    }
    if (this.bytes > this.#maxBytes) this.#fitBudget(task.id)
  }

  /** Drops an object-form task, if kept. */
  #remove(taskId: string): void {
    const kept = this.#tasks.get(taskId)
    if (kept === undefined) return
    this.#tasks.delete(taskId)
    this.#objectBytes -= kept.bytes
    this.#readSinceEviction.delete(taskId)
  }

  /**
   * Drops tasks until the kept bytes fit `maxBytes`, sparing `keep` (the task just stored): first the
   * finished ones, oldest first across both forms, then those waiting for input or auth.
   */
  #fitBudget(keep: string): void {
    const objects = this.#tasks.entries()
    const nextFinished = (): [string, Kept] | undefined => {
      for (let e = objects.next(); !e.done; e = objects.next())
        if (e.value[0] !== keep && isTerminalState(e.value[1].task.status.state)) return e.value
      return undefined
    }
    let object = nextFinished()
    while (this.bytes > this.#maxBytes) {
      const archived = this.#archive.oldestSeq()
      if (object !== undefined && (archived === undefined || object[1].seq < archived)) {
        this.#remove(object[0])
        object = nextFinished()
      } else if (!this.#archive.dropOldest()) break
    }
    for (const id of this.#tasks.keys()) {
      if (this.bytes <= this.#maxBytes) break
      if (id !== keep) this.#remove(id)
    }
  }

  /**
   * Drops object-form tasks down to `maxEntries - maxEntries/16` in one pass over insertion order:
   * tasks read since the last pass get a second chance (moved to the back), the rest go. Batching
   * keeps the cost per insert constant.
   */
  #evict(): void {
    const target = this.#maxEntries - Math.floor(this.#maxEntries / 16)
    const recent = this.#readSinceEviction
    let budget = this.#tasks.size
    for (const [id, kept] of this.#tasks) {
      if (this.#tasks.size <= target || budget-- <= 0) break
      this.#tasks.delete(id)
      if (recent.has(id)) this.#tasks.set(id, kept)
      else this.#objectBytes -= kept.bytes
    }
    recent.clear()
    // Everything was recently read: fall back to plain insertion order.
    for (const id of this.#tasks.keys()) {
      if (this.#tasks.size <= target) break
      this.#remove(id)
    }
  }

  delete(taskId: string): void {
    this.#remove(taskId)
    this.#archive.delete(taskId)
  }

  /** Newest first (by arrival; a read does not reorder), from both forms. */
  list(filter: { contextId?: string; limit: number }): Task[] {
    const now = this.#now()
    const wanted = (contextId: string) => filter.contextId === undefined || contextId === filter.contextId
    const found: { seq: number; task: () => Task }[] = []
    for (const { task, seq } of this.#tasks.values())
      if (!this.#expired(task, now) && wanted(task.contextId)) found.push({ seq, task: () => task })
    for (const [id, { packed, seq }] of this.#archive.newestFirst())
      if (!this.#expiredAt(packedField(packed, 0), now) && wanted(packedField(packed, 2)))
        found.push({ seq, task: () => unpack(id, packed) })
    return found
      .sort((a, b) => b.seq - a.seq)
      .slice(0, filter.limit)
      .map((f) => f.task())
  }

  /** Drops every expired task now. */
  sweep(): void {
    const now = this.#now()
    for (const [id, kept] of this.#tasks) if (this.#expired(kept.task, now)) this.delete(id)
    const expired: string[] = []
    for (const [id, record] of this.#archive.newestFirst())
      if (this.#expiredAt(packedField(record.packed, 0), now)) expired.push(id)
    for (const id of expired) this.#archive.delete(id)
  }

  close(): void {
    if (this.#timer) clearInterval(this.#timer)
    this.#timer = undefined
  }
}
