import { sleep } from './backoff.js'
import type { PlatformClient } from './client.js'
import { isPlatformError } from './errors.js'
import { FailureLog, type FailureLogOptions } from './failure-log.js'
import { untilGridPoint } from './grid-clock.js'
import { InboxCursorFile } from './inbox-cursor-file.js'
import { type InboxMessage, parseInboxRow } from './inbox-message.js'
import { type Logger, silentLogger } from './logger.js'
import type { ActivityRow } from './schemas.js'
import type { Turns } from './turns.js'

export interface InboxPollerOptions {
  client: PlatformClient
  /** Directory of the durable cursor file `inbox-cursor-<workspaceId>.json`. */
  cursorDir: string
  /** Default 5 000 ms. */
  intervalMs?: number
  /** Rows per request (platform max 500). Default 100. */
  limit?: number
  /** Look-back window when there is no cursor (cold start, after a 410). Default 600 s. */
  coldStartWindowSecs?: number
  /** Unacknowledged messages held in memory; polling pauses (nothing is dropped) while full. Default 1000. */
  maxPending?: number
  /** Called once per newly queued message, in order. */
  onMessage?: (message: InboxMessage) => void
  /**
   * Runs on every new row, in order, before it becomes a message, and returns the row to parse (e.g. with
   * `platform-pending:` upload URIs resolved to local files). A throw stops the batch at that row: the fetch
   * cursor stays before it, the error is reported like a failed poll, and the next poll offers the row again.
   */
  prepareRow?: (row: ActivityRow, signal: AbortSignal) => Promise<ActivityRow>
  logger?: Logger
  failureLog?: FailureLogOptions
  /**
   * Shared by the pollers of one process that poll the same platform, so that only `turns.limit` of their regular
   * polls run at once (see `Turns`). Default: none, this poller never waits for another. `pollOnce()` called
   * directly never waits either.
   */
  turns?: Turns
}

interface Entry {
  id: string
  /** null = a row that is not for the agent (own notify echo, self-echo): acknowledged implicitly. */
  message: InboxMessage | null
  acked: boolean
}

const MAX_PAGES_PER_POLL = 10
const MAX_SEEN_IDS = 5_000
/** The platform's maximum page size (activity list cap). */
const COLD_START_LIMIT = 500
/** A Retry-After longer than this (a misconfigured proxy) is not honoured in full. */
const MAX_RETRY_AFTER_MS = 300_000

/**
 * Polls `GET /workspaces/:id/activity?type=a2a_receive&since_id=…` and queues inbound messages. Delivery is
 * at-least-once: the durable cursor only moves past a row once it (and every row before it) is acknowledged with
 * `ack()`, so a message fetched but not acknowledged is delivered again by the next poller on the same cursor dir.
 * A 410 (cursor unknown to the platform) resets the cursor to a look-back window.
 */
export class InboxPoller {
  private readonly client: PlatformClient
  private readonly cursorFile: InboxCursorFile
  private readonly logger: Logger
  private readonly failures: FailureLog
  private readonly intervalMs: number
  private readonly limit: number
  private readonly windowSecs: number
  private readonly maxPending: number
  private readonly entries: Entry[] = []
  private readonly seen = new Set<string>()
  private durableCursor: string | undefined
  private fetchCursor: string | undefined
  private initialized: Promise<void> | undefined
  private polling: Promise<InboxMessage[]> | undefined
  private saving: Promise<void> = Promise.resolve()
  private waiters = new Set<() => void>()
  private abort = new AbortController()
  private running: Promise<void> | undefined
  private stopped = false
  /** The regular poll as the loop hands it to `turns`, made once rather than a closure per poll. */
  private readonly pollInTurn = (): Promise<InboxMessage[]> => this.pollOnce()
  private markPolledOnce: () => void = () => {}
  private readonly polledOnce = new Promise<void>((resolve) => {
    // Called after every poll, resolves only the first time: resolving a settled promise again is not free in V8.
    this.markPolledOnce = () => {
      this.markPolledOnce = () => {}
      resolve()
    }
  })

  constructor(private readonly options: InboxPollerOptions) {
    this.client = options.client
    this.cursorFile = new InboxCursorFile(options.cursorDir, options.client.workspaceId)
    this.logger = options.logger ?? silentLogger
    this.failures = new FailureLog(this.logger, 'inbox poll', options.failureLog)
    this.intervalMs = options.intervalMs ?? 5_000
    this.limit = Math.min(500, Math.max(1, options.limit ?? 100))
    this.windowSecs = Math.max(1, options.coldStartWindowSecs ?? 600)
    this.maxPending = Math.max(1, options.maxPending ?? 1_000)
  }

  /** The durable cursor: id of the last row acknowledged (or skipped) in order. */
  get cursor(): string | undefined {
    return this.durableCursor
  }

  get cursorPath(): string {
    return this.cursorFile.path
  }

  /** Polls now and then every `intervalMs` until `stop()`. Errors are logged (bounded), never thrown. */
  start(): void {
    if (this.running || this.stopped) return
    this.running = this.loop().catch((err) => {
      this.logger.error({ err: (err as Error)?.message }, 'inbox poll loop ended unexpectedly')
    })
  }

  /**
   * Resolves once the first poll has finished (its messages are queued, or it failed), or the poller stopped: a
   * caller that lists the inbox right after start sees what the platform had queued, not an empty inbox.
   */
  whenPolledOnce(): Promise<void> {
    return this.polledOnce
  }

  async stop(): Promise<void> {
    this.stopped = true
    this.markPolledOnce()
    this.abort.abort(new Error('InboxPoller stopped'))
    for (const wake of this.waiters) wake()
    await this.running
    await this.saving
  }

  /** Unacknowledged messages, oldest first. */
  pending(): InboxMessage[] {
    return this.entries.filter((e) => !e.acked && e.message).map((e) => e.message as InboxMessage)
  }

  peek(): InboxMessage | undefined {
    return this.entries.find((e) => !e.acked && e.message)?.message ?? undefined
  }

  /** Removes and acknowledges the oldest pending message. */
  async pop(): Promise<InboxMessage | undefined> {
    const head = this.peek()
    if (head) await this.ack(head.activity_id)
    return head
  }

  /**
   * Acknowledges a message: the durable cursor advances over every leading acknowledged row. Returns false for
   * an id that is not pending (unknown or already acknowledged).
   */
  async ack(activityId: string): Promise<boolean> {
    await this.init()
    const entry = this.entries.find((e) => e.id === activityId)
    if (!entry || entry.acked) return false
    entry.acked = true
    await this.advanceDurableCursor()
    return true
  }

  /** Resolves with the oldest pending message as soon as there is one, or undefined after `timeoutMs`. */
  async waitForMessage(timeoutMs: number, signal?: AbortSignal): Promise<InboxMessage | undefined> {
    const ready = this.peek()
    if (ready || timeoutMs <= 0) return ready
    return new Promise((resolve) => {
      const finish = () => {
        clearTimeout(timer)
        this.waiters.delete(check)
        signal?.removeEventListener('abort', finish)
        resolve(this.peek())
      }
      const check = () => {
        if (this.peek() || this.stopped) finish()
      }
      const timer = setTimeout(finish, timeoutMs)
      this.waiters.add(check)
      signal?.addEventListener('abort', finish, { once: true })
    })
  }

  /** Fetches new rows now (joins a poll in progress). Returns the messages it queued. Throws platform errors. */
  pollOnce(): Promise<InboxMessage[]> {
    if (!this.polling) {
      this.polling = this.fetchNew().finally(() => {
        this.polling = undefined
      })
    }
    return this.polling
  }

  private init(): Promise<void> {
    this.initialized ??= this.cursorFile.load().then((cursor) => {
      this.durableCursor = cursor
      this.fetchCursor = cursor
    })
    return this.initialized
  }

  private async loop(): Promise<void> {
    while (!this.stopped) {
      let delay = this.intervalMs
      try {
        const turns = this.options.turns
        await (turns ? turns.run(this.pollInTurn, this.abort.signal) : this.pollOnce())
        this.failures.success()
      } catch (err) {
        if (this.stopped) break
        this.failures.failure(err, {})
        // 429 (rate limiter) / 503 (busy) with Retry-After: polling sooner only burns the shared per-IP budget.
        const retryAfterMs = isPlatformError(err) ? err.retryAfterMs : undefined
        if (retryAfterMs !== undefined) delay = Math.max(delay, Math.min(retryAfterMs, MAX_RETRY_AFTER_MS))
      }
      this.markPolledOnce()
      try {
        // The regular pace is the grid every poller with this interval shares (one timer for all of them); a
        // platform's Retry-After is honoured on a timer of its own.
        if (delay === this.intervalMs) await untilGridPoint(this.intervalMs, this.abort.signal)
        else await sleep(delay, this.abort.signal)
      } catch {
        // Stopped: the loop condition ends it. (A try rather than `.catch`, which would allocate a promise per poll.)
      }
    }
  }

  private pendingCount(): number {
    return this.entries.reduce((n, e) => n + (!e.acked && e.message ? 1 : 0), 0)
  }

  private async fetchNew(): Promise<InboxMessage[]> {
    await this.init()
    const queued: InboxMessage[] = []
    for (let page = 0; page < MAX_PAGES_PER_POLL && !this.stopped; page++) {
      if (this.pendingCount() >= this.maxPending) {
        this.logger.debug(
          { pending: this.maxPending },
          'inbox full; waiting for acknowledgements before polling',
        )
        break
      }
      let rows: ActivityRow[]
      try {
        rows = await this.fetchPage()
      } catch (err) {
        if (isPlatformError(err) && err.status === 410) {
          await this.resetCursor()
          continue
        }
        throw err
      }
      let processed: ActivityRow | undefined
      let prepareFailure: unknown
      for (const row of rows) {
        if (this.pendingCount() >= this.maxPending) break
        if (this.seen.has(row.id)) {
          processed = row
          continue
        }
        let prepared = row
        if (this.options.prepareRow) {
          try {
            prepared = await this.options.prepareRow(row, this.abort.signal)
          } catch (err) {
            prepareFailure = err
            break
          }
        }
        processed = row
        this.remember(row.id)
        const message = parseInboxRow(prepared, this.client.workspaceId)
        this.entries.push({ id: row.id, message, acked: message === null })
        if (message) {
          queued.push(message)
          try {
            this.options.onMessage?.(message)
          } catch (err) {
            this.logger.warn({ err: (err as Error)?.message }, 'inbox onMessage callback threw')
          }
        }
      }
      // Only rows actually taken move the fetch cursor; the rest are fetched again once there is room.
      if (processed) this.fetchCursor = processed.id
      await this.advanceDurableCursor()
      if (prepareFailure !== undefined) {
        if (queued.length) for (const wake of [...this.waiters]) wake()
        throw prepareFailure
      }
      if (processed !== rows.at(-1) || rows.length < this.limit) break
    }
    if (queued.length) for (const wake of [...this.waiters]) wake()
    return queued
  }

  private async fetchPage(): Promise<ActivityRow[]> {
    const signal = this.abort.signal
    if (this.fetchCursor) {
      return this.client.listActivity(
        { type: 'a2a_receive', sinceId: this.fetchCursor, limit: this.limit, include: 'peer_info' },
        { signal, retry: false },
      )
    }
    // Without a cursor the platform answers newest first and cuts at `limit`, dropping the OLDEST rows of the
    // window; ask for the platform maximum so a backlog is not silently skipped, and say so when it is full.
    const rows = await this.client.listActivity(
      { type: 'a2a_receive', sinceSecs: this.windowSecs, limit: COLD_START_LIMIT, include: 'peer_info' },
      { signal, retry: false },
    )
    if (rows.length >= COLD_START_LIMIT) {
      this.logger.warn(
        { windowSecs: this.windowSecs, rows: rows.length },
        'inbox backlog exceeds one page at cold start; older messages of the look-back window are skipped',
      )
    }
    return [...rows].reverse()
  }

  private async resetCursor(): Promise<void> {
    this.logger.warn(
      { cursor: this.fetchCursor, windowSecs: this.windowSecs },
      `inbox cursor is unknown to the platform (410: pruned or foreign); resetting it and re-reading the last ${this.windowSecs}s (already-seen messages are de-duplicated)`,
    )
    this.fetchCursor = undefined
    this.durableCursor = undefined
    // Entries before the reset can no longer anchor the durable cursor; acknowledged ones are forgotten.
    for (let i = this.entries.length - 1; i >= 0; i--) if (this.entries[i]?.acked) this.entries.splice(i, 1)
    this.saving = this.saving.then(() =>
      this.cursorFile.clear().catch((err: Error) => {
        this.logger.warn(
          { path: this.cursorFile.path, err: err.message },
          'cannot delete the inbox cursor file',
        )
      }),
    )
    await this.saving
  }

  private remember(id: string): void {
    this.seen.add(id)
    if (this.seen.size > MAX_SEEN_IDS) {
      // Sets iterate in insertion order: drop the oldest ids, keep the recent ones.
      const excess = this.seen.size - MAX_SEEN_IDS
      let i = 0
      for (const old of this.seen) {
        if (i++ >= excess) break
        this.seen.delete(old)
      }
    }
  }

  private async advanceDurableCursor(): Promise<void> {
    let next: string | undefined
    while (this.entries[0]?.acked) next = this.entries.shift()?.id
    if (next === undefined || next === this.durableCursor) return
    this.durableCursor = next
    const cursor = next
    // Saves are serialized so an older cursor never overwrites a newer one.
    this.saving = this.saving.then(() =>
      this.cursorFile.save(cursor).catch((err: Error) => {
        this.logger.warn(
          { path: this.cursorFile.path, err: err.message },
          'cannot persist the inbox cursor; keeping it in memory',
        )
      }),
    )
    await this.saving
  }
}
