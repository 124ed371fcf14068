import { isTerminalState, type Message, type Task, type TaskState } from '@molecule/adapter-core'

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
  /** Most tasks kept; beyond it the least recently used ~6% are dropped in one batch. Default 10,000. */
  maxEntries?: number
  /** How long a finished task stays readable (tasks/get), from its final status timestamp. Default 1 hour. */
  terminalTtlMs?: number
  /** Period of the background sweep of expired tasks (unref'd timer). Default 60 s; 0 disables. */
  sweepIntervalMs?: number
  now?: () => number
}

/**
 * Bounded in-memory store: at most `maxEntries` tasks, evicting least recently used ones, and a TTL
 * for tasks in a terminal state, counted from their final status `timestamp`. Unbounded stores are
 * the classic A2A memory leak (see the SDK's InMemoryTaskStore).
 *
 * The map holds the tasks themselves, no wrapper, and finished everyday tasks as one packed string
 * (see `pack`): every object kept per task costs garbage-collector time on a busy server. Recency is a second chance on eviction for ids read since the last pass
 * (`#readSinceEviction`) instead of re-inserting on every read: a JS Map keeps deleted slots until it
 * rehashes, so delete+set per access makes hot lookups and "find the oldest" scans walk thousands of
 * holes.
 */
export class InMemoryTaskStore implements TaskStore {
  readonly #tasks = new Map<string, Task | Packed>()
  readonly #readSinceEviction = new Set<string>()
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
    return this.#tasks.size
  }

  /** Terminal and past its TTL. A terminal task without a timestamp never expires (LRU still bounds it). */
  #expired(entry: Task | Packed, now: number): boolean {
    if (typeof entry === 'string') return Date.parse(packedField(entry, 0)) + this.#ttl <= now
    if (!isTerminalState(entry.status.state) || entry.status.timestamp === undefined) return false
    return Date.parse(entry.status.timestamp) + this.#ttl <= now
  }

  get(taskId: string): Task | undefined {
    const entry = this.#tasks.get(taskId)
    if (entry === undefined) return undefined
    if (this.#expired(entry, this.#now())) {
      this.#tasks.delete(taskId)
      return undefined
    }
    this.#readSinceEviction.add(taskId)
    return typeof entry === 'string' ? unpack(taskId, entry) : entry
  }

  set(task: Task): void {
    // Re-setting a known id updates it in place (Map keeps its position); a grown size means a new id.
    const before = this.#tasks.size
    this.#tasks.set(task.id, pack(task) ?? task)
    if (this.#tasks.size > before && this.#tasks.size > this.#maxEntries) this.#evict()
  }

  /**
   * Drops tasks down to `maxEntries - maxEntries/16` in one pass over insertion order: tasks read
   * since the last pass get a second chance (moved to the back), the rest go. Batching keeps the
   * cost per insert constant.
   */
  #evict(): void {
    const target = this.#maxEntries - Math.floor(this.#maxEntries / 16)
    const recent = this.#readSinceEviction
    let budget = this.#tasks.size
    for (const [id, task] of this.#tasks) {
      if (this.#tasks.size <= target || budget-- <= 0) break
      this.#tasks.delete(id)
      if (recent.has(id)) this.#tasks.set(id, task)
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
  }

  list(filter: { contextId?: string; limit: number }): Task[] {
    const out: Task[] = []
    const now = this.#now()
    const all = [...this.#tasks]
    for (let i = all.length - 1; i >= 0 && out.length < filter.limit; i--) {
      const [id, entry] = all[i] as [string, Task | Packed]
      if (this.#expired(entry, now)) continue
      const packed = typeof entry === 'string'
      const contextId = packed ? packedField(entry, 2) : entry.contextId
      if (filter.contextId !== undefined && contextId !== filter.contextId) continue
      out.push(packed ? unpack(id, entry) : entry)
    }
    return out
  }

  /** Drops every expired task now. */
  sweep(): void {
    const now = this.#now()
    for (const [id, task] of this.#tasks) if (this.#expired(task, now)) this.delete(id)
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
  const reply: Message = {
    kind: 'message',
    messageId: replyId,
    role: 'agent',
    parts: [{ kind: 'text', text: replyText }],
    taskId,
    contextId,
  }
  return {
    kind: 'task',
    id: taskId,
    contextId,
    status: { state, message: reply, timestamp },
    history: [request, reply],
  }
}
