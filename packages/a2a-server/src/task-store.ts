import { type Message, textMessage } from '@molecule/adapter-core'
import { isTerminalState, type Task, type TaskState } from '@molecule/adapter-core/a2a'
import { PackedArchive } from './packed-archive.js'

/**
 * Where tasks rest between runs. The server writes a task when a run of it ends — completed, failed,
 * canceled, or waiting for input or auth — and reads it for `tasks/get`, `ListTasks` and to continue
 * an interrupted task; while the executor runs, the task lives in the server itself. Methods may return
 * promises so a database-backed store fits; the in-memory default answers synchronously. Stored tasks
 * are v0.3-shaped.
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
  /** How long a finished task stays readable (tasks/get), from its final status timestamp. Default 1 hour. */
  terminalTtlMs?: number
  /** Period of the background sweep of expired tasks (unref'd timer). Default 60 s; 0 disables. */
  sweepIntervalMs?: number
  now?: () => number
}

/** A task kept as an object, with the order it arrived in (to interleave with the archive in `list`). */
interface Kept {
  task: Task
  seq: number
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
 */
export class InMemoryTaskStore implements TaskStore {
  readonly #tasks = new Map<string, Kept>()
  readonly #archive: PackedArchive
  readonly #readSinceEviction = new Set<string>()
  readonly #maxEntries: number
  readonly #ttl: number
  readonly #now: () => number
  #seq = 0
  #timer: NodeJS.Timeout | undefined

  constructor(options: InMemoryTaskStoreOptions = {}) {
    this.#maxEntries = Math.max(1, options.maxEntries ?? 10_000)
    this.#archive = new PackedArchive(this.#maxEntries, options.maxArchiveBytes ?? 8 * 1024 * 1024)
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

  set(task: Task): void {
    const packed = pack(task)
    if (packed !== undefined && this.#archive.put(task.id, packed, this.#seq++)) {
      // It may have rested here before (input-required, then continued and finished).
      if (this.#tasks.size > 0 && this.#tasks.delete(task.id)) this.#readSinceEviction.delete(task.id)
      return
    }
    this.#archive.delete(task.id)
    // A known id is updated in place: it keeps its position (and age) in the Map.
    const kept = this.#tasks.get(task.id)
    if (kept !== undefined) kept.task = task
    else {
      this.#tasks.set(task.id, { task, seq: this.#seq++ })
      if (this.#tasks.size > this.#maxEntries) this.#evict()
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
    }
    recent.clear()
    // Everything was recently read: fall back to plain insertion order.
    for (const id of this.#tasks.keys()) {
      if (this.#tasks.size <= target) break
      this.#tasks.delete(id)
    }
  }

  delete(taskId: string): void {
    this.#tasks.delete(taskId)
    this.#readSinceEviction.delete(taskId)
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

function keyCount(o: object): number {
  let n = 0
  for (const _ in o) n++
  return n
}

const REQUEST_KEYS = ['kind', 'messageId', 'role', 'parts', 'contextId', 'taskId'] // normalizeMessage's order
const REPLY_KEYS = ['kind', 'messageId', 'role', 'parts', 'taskId', 'contextId'] // textMessage's order

/**
 * The text of a message that has exactly `keys` (in that order, so a rebuild is identical), belongs to
 * the task and holds one plain text part; else undefined.
 */
function soleText(
  m: Message,
  keys: readonly string[],
  taskId: string,
  contextId: string,
): string | undefined {
  if (m.kind !== 'message' || m.taskId !== taskId || m.contextId !== contextId) return
  let i = 0
  for (const key in m) if (key !== keys[i++]) return
  if (i !== keys.length || m.parts.length !== 1) return
  const part = m.parts[0] as Message['parts'][number]
  if (part.kind !== 'text' || keyCount(part) !== 2) return
  return part.text
}

/**
 * A finished task packed by `pack`: timestamp, state, contextId, request id, request text, reply id
 * and reply text, joined by SEP. The timestamp comes first so the TTL check reads it cheaply.
 */
type Packed = string
const SEP = '\u0000'

/** The `index`th field of a packed task (0 = timestamp, 2 = contextId), without splitting it all. */
function packedField(packed: Packed, index: number): string {
  let start = 0
  for (let i = 0; i < index; i++) start = packed.indexOf(SEP, start) + 1
  const end = packed.indexOf(SEP, start)
  return packed.slice(start, end < 0 ? undefined : end)
}

/**
 * A finished task of the everyday shape (one user text message answered by one agent text message,
 * no artifacts, no metadata) as a single flat string instead of the nine objects of its `Task` form:
 * a busy server retains thousands of these, and each retained object is copying and marking work for
 * the garbage collector (`Array.prototype.join` builds a flat string, unlike `+`, whose cons strings
 * would keep every piece alive). Anything else — or a field containing SEP — is not packed.
 */
function pack(task: Task): Packed | undefined {
  const { status, history } = task
  const reply = status.message
  if (
    history?.length !== 2 ||
    reply === undefined ||
    history[1] !== reply ||
    status.timestamp === undefined ||
    !isTerminalState(status.state) ||
    keyCount(task) !== 5 ||
    keyCount(status) !== 3
  )
    return undefined
  const request = history[0] as Message
  if (request.role !== 'user' || reply.role !== 'agent') return undefined
  const requestText = soleText(request, REQUEST_KEYS, task.id, task.contextId)
  const replyText = soleText(reply, REPLY_KEYS, task.id, task.contextId)
  if (requestText === undefined || replyText === undefined) return undefined
  const fields = [
    status.timestamp,
    status.state,
    task.contextId,
    request.messageId,
    requestText,
    reply.messageId,
    replyText,
  ]
  for (const field of fields) if (field.includes(SEP)) return undefined
  return fields.join(SEP)
}

/** Rebuilds the identical `Task` (same keys, same order) from a packed entry. */
function unpack(taskId: string, packed: Packed): Task {
  const [timestamp, state, contextId, requestId, requestText, replyId, replyText] = packed.split(SEP) as [
    string,
    TaskState,
    string,
    string,
    string,
    string,
    string,
  ]
  const request: Message = {
    kind: 'message',
    messageId: requestId,
    role: 'user',
    parts: [{ kind: 'text', text: requestText }],
    contextId,
    taskId,
  }
  // Built by the function that built the original (REPLY_KEYS is its key order).
  const reply = textMessage('agent', replyText, { messageId: replyId, taskId, contextId })
  return {
    kind: 'task',
    id: taskId,
    contextId,
    status: { state, message: reply, timestamp },
    history: [request, reply],
  }
}
