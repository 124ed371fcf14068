import { chmod, mkdir, open, readFile } from 'node:fs/promises'
import { dirname } from 'node:path'
import type { Logger } from '@molecule/core'
import type { DelegationRow, PlatformClient } from '@molecule/platform-client'
import { writeFileAtomic } from '@molecule/platform-client'
import { sendSelfPrompt } from './self-prompts.js'

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
  /**
   * Where the seen delegation ids and the not-yet-announced results survive a restart (written atomically,
   * mode 0600). Without it they live in memory only and a restart announces finished delegations again.
   */
  stateFile?: string
  intervalMs: number
  /** Minimum time between two wake-up self-messages. */
  selfMessageCooldownMs?: number
  logger: Logger
  now?: () => number
}

const MAX_SEEN = 200
const KEEP_SEEN = 100

/** The `stateFile` contents. */
interface PersistedState {
  version: 1
  /** Ids already recorded (or rejected), oldest first. */
  seen: string[]
  /** Recorded in the results file but not yet announced to the agent. */
  pending: DelegationResult[]
}

function isResult(value: unknown): value is DelegationResult {
  const r = value as Partial<DelegationResult> | null
  return (
    r !== null &&
    typeof r === 'object' &&
    typeof r.delegation_id === 'string' &&
    typeof r.status === 'string' &&
    typeof r.summary === 'string'
  )
}

/**
 * Picks up async delegations that finished (`GET /workspaces/:id/delegations`): only those this workspace started (`source_id` check — a
 * peer cannot inject "results"), appends them to the results file, tells the human via notify, and wakes the
 * agent with a self-message through the platform proxy. The wake-up text carries ids, statuses and summaries
 * only, never the peer's raw reply (prompt-injection defence); the agent reads details from the file.
 * Unlike upstream, results that arrive during the self-message cooldown are kept and announced once it ends,
 * and with a `stateFile` a restart neither records nor announces a result twice nor drops an unannounced one.
 * The seen set is trimmed to the newest 100 once it passes 200, but never forgets an id the platform still
 * lists (upstream re-announced those).
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
  /** Aborted by `stop()`, so a wake-up message held open by the platform does not hold the shutdown. */
  #abort = new AbortController()
  #loaded: Promise<void> | undefined

  constructor(options: DelegationResultsLoopOptions) {
    this.#opts = options
  }

  start(): void {
    this.#stopped = false
    if (this.#abort.signal.aborted) this.#abort = new AbortController()
    this.#schedule()
  }

  async stop(): Promise<void> {
    this.#stopped = true
    clearTimeout(this.#timer)
    this.#abort.abort()
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
    this.#loaded ??= this.#load()
    await this.#loaded
    const log = this.#opts.logger
    let rows: DelegationRow[]
    try {
      rows = await this.#opts.platform.listDelegations()
    } catch (err) {
      log.debug({ err: (err as Error).message }, 'delegation poll failed')
      return []
    }
    const seenBefore = this.#seen.size
    const fresh = this.#collect(rows)
    this.#trimSeen(new Set(rows.map((row) => row.delegation_id)))
    if (fresh.length > 0) {
      // Recorded first, then remembered: a crash in between can only repeat a line, never lose a result.
      await this.#appendResults(fresh)
      this.#pending.push(...fresh)
    }
    if (fresh.length > 0 || this.#seen.size !== seenBefore) await this.#save()
    if (fresh.length > 0) await Promise.all(fresh.map((result) => this.#notify(result)))
    if (this.#pending.length > 0 && (await this.#wakeAgent())) await this.#save()
    return fresh
  }

  /** Restores the seen ids and pending results of the previous run; a missing or corrupt file is a fresh start. */
  async #load(): Promise<void> {
    const file = this.#opts.stateFile
    if (!file) return
    let text: string
    try {
      text = await readFile(file, 'utf8')
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') {
        this.#opts.logger.warn({ err: (err as Error).message, file }, 'could not read delegation state')
      }
      return
    }
    try {
      const state = JSON.parse(text) as Partial<PersistedState>
      for (const id of Array.isArray(state.seen) ? state.seen : []) {
        if (typeof id === 'string' && id) this.#seen.add(id)
      }
      for (const result of Array.isArray(state.pending) ? state.pending : []) {
        if (isResult(result) && !this.#pending.some((p) => p.delegation_id === result.delegation_id)) {
          this.#pending.push(result)
          this.#seen.add(result.delegation_id)
        }
      }
    } catch {
      this.#opts.logger.warn({ file }, 'delegation state is not valid JSON; starting fresh')
    }
  }

  async #save(): Promise<void> {
    const file = this.#opts.stateFile
    if (!file) return
    const state: PersistedState = { version: 1, seen: [...this.#seen], pending: [...this.#pending] }
    try {
      await writeFileAtomic(file, JSON.stringify(state))
    } catch (err) {
      this.#opts.logger.warn({ err: (err as Error).message, file }, 'could not save delegation state')
    }
  }

  #collect(rows: DelegationRow[]): DelegationResult[] {
    const self = this.#opts.platform.workspaceId
    const now = (this.#opts.now ?? Date.now)()
    const out: DelegationResult[] = []
    for (const row of rows) {
      const id = row.delegation_id
      if (!id || this.#seen.has(id)) continue
      if (row.status !== 'completed' && row.status !== 'failed') continue
      this.#seen.add(id)
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

  /**
   * Past MAX_SEEN ids, drops the oldest down to KEEP_SEEN — but only ids the platform no longer lists, since
   * forgetting a listed one would record and announce it again on the next poll.
   */
  #trimSeen(listed: ReadonlySet<unknown>): void {
    if (this.#seen.size <= MAX_SEEN) return
    const pending = new Set(this.#pending.map((r) => r.delegation_id))
    // Sets iterate in insertion order: the oldest come first.
    for (const old of this.#seen) {
      if (this.#seen.size <= KEEP_SEEN) break
      if (!listed.has(old) && !pending.has(old)) this.#seen.delete(old)
    }
  }

  /**
   * Appends to the results file, created 0600 (peers' replies are private to the workspace); a file that already
   * exists with a wider mode is narrowed to 0600 first.
   */
  async #appendResults(results: DelegationResult[]): Promise<void> {
    try {
      await mkdir(dirname(this.#opts.resultsFile), { recursive: true })
      const file = await open(this.#opts.resultsFile, 'a', 0o600)
      try {
        if (((await file.stat()).mode & 0o777) !== 0o600) await chmod(this.#opts.resultsFile, 0o600)
        await file.appendFile(results.map((r) => `${JSON.stringify(r)}\n`).join(''))
      } finally {
        await file.close()
      }
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

  /** Announces the pending results when the cooldown allows; true when the pending list changed. */
  async #wakeAgent(): Promise<boolean> {
    const now = (this.#opts.now ?? Date.now)()
    if (now - this.#lastSelfMessageAt < (this.#opts.selfMessageCooldownMs ?? 60_000)) return false
    const batch = this.#pending.splice(0)
    const text = await this.#triggerText(batch)
    this.#lastSelfMessageAt = now
    try {
      await sendSelfPrompt(this.#opts.platform, text, 'delegation-results', 120_000, this.#abort.signal)
      this.#opts.logger.info({ count: batch.length }, 'delegation results announced to the agent')
      return true
    } catch (err) {
      // Put them back: the next tick after the cooldown tries again.
      this.#pending.unshift(...batch)
      this.#opts.logger.warn({ err: (err as Error).message }, 'delegation wake-up message failed; will retry')
      return false
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
