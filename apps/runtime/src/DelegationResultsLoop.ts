import { randomUUID } from 'node:crypto'
import { appendFile, mkdir } from 'node:fs/promises'
import { dirname } from 'node:path'
import type { DelegationRow, PlatformClient } from '@molecule/platform-client'
import type { Logger } from 'pino'

/** One finished delegation, as written to the results file the agent reads. */
export interface DelegationResult {
  delegation_id: string
  target_id: string
  source_id: string
  status: string
  summary: string
  response_preview: string
  error: string
  timestamp: number
}

export type DelegationPlatform = Pick<
  PlatformClient,
  'workspaceId' | 'listDelegations' | 'getWorkspace' | 'sendA2A' | 'notify'
>

export interface DelegationResultsLoopOptions {
  platform: DelegationPlatform
  /** JSONL file the agent consumes (`DELEGATION_RESULTS_FILE`). */
  resultsFile: string
  intervalMs: number
  /** Minimum time between two wake-up self-messages. */
  selfMessageCooldownMs?: number
  logger: Logger
  now?: () => number
}

const MAX_SEEN = 200
const KEEP_SEEN = 100

/**
 * Picks up async delegations that finished (§2.8): only those this workspace started (`source_id` check — a
 * peer cannot inject "results"), appends them to the results file, tells the human via notify, and wakes the
 * agent with a self-message through the platform proxy. The wake-up text carries ids, statuses and summaries
 * only, never the peer's raw reply (prompt-injection defence); the agent reads details from the file.
 * Unlike upstream, results that arrive during the self-message cooldown are kept and announced once it ends.
 */
export class DelegationResultsLoop {
  readonly #opts: DelegationResultsLoopOptions
  readonly #seen = new Set<string>()
  readonly #pending: DelegationResult[] = []
  #lastSelfMessageAt = Number.NEGATIVE_INFINITY
  #parentName: string | null | undefined
  #timer: NodeJS.Timeout | undefined
  #running: Promise<unknown> | undefined
  #stopped = false

  constructor(options: DelegationResultsLoopOptions) {
    this.#opts = options
  }

  start(): void {
    this.#stopped = false
    this.#schedule()
  }

  async stop(): Promise<void> {
    this.#stopped = true
    clearTimeout(this.#timer)
    await this.#running
  }

  #schedule(): void {
    if (this.#stopped) return
    this.#timer = setTimeout(() => {
      this.#running = this.tick().finally(() => this.#schedule())
    }, this.#opts.intervalMs)
    this.#timer.unref()
  }

  /** One poll; never throws (the platform being down is a normal condition). */
  async tick(): Promise<DelegationResult[]> {
    const log = this.#opts.logger
    let rows: DelegationRow[]
    try {
      rows = await this.#opts.platform.listDelegations()
    } catch (err) {
      log.debug({ err: (err as Error).message }, 'delegation poll failed')
      return []
    }
    const fresh = this.#collect(rows)
    if (fresh.length > 0) {
      await this.#appendResults(fresh)
      this.#pending.push(...fresh)
      await Promise.all(fresh.map((result) => this.#notify(result)))
    }
    if (this.#pending.length > 0) await this.#wakeAgent()
    return fresh
  }

  #collect(rows: DelegationRow[]): DelegationResult[] {
    const self = this.#opts.platform.workspaceId
    const now = (this.#opts.now ?? Date.now)()
    const out: DelegationResult[] = []
    for (const row of rows) {
      const id = row.delegation_id
      if (!id || this.#seen.has(id)) continue
      if (row.status !== 'completed' && row.status !== 'failed') continue
      this.#markSeen(id)
      if (row.source_id !== self) {
        this.#opts.logger.warn(
          { delegationId: id, sourceId: row.source_id },
          'ignoring a delegation result this workspace did not start (possible injection attempt)',
        )
        continue
      }
      out.push({
        delegation_id: id,
        target_id: row.target_id ?? '',
        source_id: self,
        status: row.status,
        summary: row.summary ?? '',
        response_preview: row.response_preview ?? '',
        error: row.error ?? '',
        timestamp: now / 1000,
      })
    }
    return out
  }

  #markSeen(id: string): void {
    this.#seen.add(id)
    if (this.#seen.size <= MAX_SEEN) return
    // Sets iterate in insertion order: drop the oldest, keep the most recent KEEP_SEEN.
    const drop = this.#seen.size - KEEP_SEEN
    let i = 0
    for (const old of this.#seen) {
      if (i++ >= drop) break
      this.#seen.delete(old)
    }
  }

  async #appendResults(results: DelegationResult[]): Promise<void> {
    try {
      await mkdir(dirname(this.#opts.resultsFile), { recursive: true })
      await appendFile(this.#opts.resultsFile, results.map((r) => `${JSON.stringify(r)}\n`).join(''))
    } catch (err) {
      this.#opts.logger.warn(
        { err: (err as Error).message, file: this.#opts.resultsFile },
        'could not write delegation results',
      )
    }
  }

  async #notify(result: DelegationResult): Promise<void> {
    let message = `Delegation ${result.status}: ${result.summary.slice(0, 100)}`
    if (result.response_preview) message += `\nResult: ${result.response_preview.slice(0, 200)}`
    try {
      await this.#opts.platform.notify({ message })
    } catch (err) {
      this.#opts.logger.debug({ err: (err as Error).message }, 'delegation notify failed')
    }
  }

  async #wakeAgent(): Promise<void> {
    const now = (this.#opts.now ?? Date.now)()
    if (now - this.#lastSelfMessageAt < (this.#opts.selfMessageCooldownMs ?? 60_000)) return
    const batch = this.#pending.splice(0)
    const text = await this.#triggerText(batch)
    this.#lastSelfMessageAt = now
    const self = this.#opts.platform.workspaceId
    try {
      await this.#opts.platform.sendA2A(
        self,
        {
          jsonrpc: '2.0',
          id: randomUUID(),
          method: 'message/send',
          params: {
            message: {
              role: 'user',
              messageId: `delegation-results-${randomUUID().slice(0, 8)}`,
              parts: [{ kind: 'text', text }],
            },
          },
        },
        { timeoutMs: 120_000 },
      )
      this.#opts.logger.info({ count: batch.length }, 'delegation results announced to the agent')
    } catch (err) {
      // Put them back: the next tick after the cooldown tries again.
      this.#pending.unshift(...batch)
      this.#opts.logger.warn({ err: (err as Error).message }, 'delegation wake-up message failed; will retry')
    }
  }

  async #triggerText(batch: DelegationResult[]): Promise<string> {
    const lines = batch.map((r) => {
      let line = `- [${r.status}] Delegation ${r.delegation_id.slice(0, 8)}: ${r.summary.slice(0, 80)}`
      if (r.error) line += `\n  Error: ${r.error.slice(0, 100)}`
      return line
    })
    const parent = await this.#parent()
    const report = parent
      ? `Report the outcome to your parent workspace "${parent}" with delegate_task or delegate_task_async, and tell the user with send_message_to_user.`
      : 'Tell the user the outcome with send_message_to_user.'
    return [
      `Delegation results are ready (${batch.length}):`,
      ...lines,
      '',
      `Full details are in ${this.#opts.resultsFile}. ${report}`,
    ].join('\n')
  }

  /** Parent workspace name, looked up once; a failed lookup is retried next time. */
  async #parent(): Promise<string | null> {
    if (this.#parentName !== undefined) return this.#parentName
    try {
      const me = await this.#opts.platform.getWorkspace()
      if (!me.parent_id) {
        this.#parentName = null
        return null
      }
      const parent = await this.#opts.platform.getWorkspace(me.parent_id)
      this.#parentName = parent.name || parent.id
      return this.#parentName
    } catch {
      return null
    }
  }
}
