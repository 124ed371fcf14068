import { randomBytes, randomUUID } from 'node:crypto'
import { access, mkdir, writeFile } from 'node:fs/promises'
import { dirname } from 'node:path'
import type { Logger } from '@molecule/core'
import type { PlatformClient } from '@molecule/platform-client'

export type SelfPromptPlatform = Pick<PlatformClient, 'workspaceId' | 'sendA2A'>

/**
 * A prompt the workspace sends itself through the platform proxy (not directly), so the canvas shows both the
 * prompt and the reply and the platform records it as agent-originated (`X-Workspace-ID` = self). One A2A v0.3
 * `message/send` with `messageId` `<idPrefix>-<8 hex>` and a single `{kind: "text"}` part.
 */
export async function sendSelfPrompt(
  platform: SelfPromptPlatform,
  text: string,
  idPrefix: 'initial' | 'idle' | 'delegation-results',
  timeoutMs: number,
  /** Aborts the request (the runtime is stopping: a stop cancels self-prompts in flight). */
  signal?: AbortSignal,
): Promise<void> {
  await platform.sendA2A(
    platform.workspaceId,
    {
      jsonrpc: '2.0',
      id: randomUUID(),
      method: 'message/send',
      params: {
        message: {
          role: 'user',
          messageId: `${idPrefix}-${randomBytes(4).toString('hex')}`,
          parts: [{ kind: 'text', text }],
        },
      },
    },
    signal ? { timeoutMs, signal } : { timeoutMs },
  )
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path)
    return true
  } catch {
    return false
  }
}

export interface InitialPromptOptions {
  prompt: string
  platform: SelfPromptPlatform
  /** Candidate marker files, preferred first (config dir, then /workspace). */
  markerPaths: readonly string[]
  /** A URL of ours that answers 200 once we serve (the agent card path we actually serve). */
  readinessUrl: string
  readinessAttempts?: number
  readinessIntervalMs?: number
  sendAttempts?: number
  /** Delay before retry n is `retryBaseMs * 2^(n-1)`. */
  retryBaseMs?: number
  sendTimeoutMs?: number
  signal: AbortSignal
  logger: Logger
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve()
    const timer = setTimeout(done, ms)
    function done(): void {
      clearTimeout(timer)
      signal.removeEventListener('abort', done)
      resolve()
    }
    signal.addEventListener('abort', done, { once: true })
  })
}

/**
 * `initial_prompt`: sent once per workspace lifetime. The marker is written BEFORE sending so a prompt
 * that crashes the agent is not replayed on every boot. Returns what happened, for logs and tests.
 */
export async function runInitialPrompt(
  opts: InitialPromptOptions,
): Promise<'sent' | 'already-done' | 'not-ready' | 'failed' | 'aborted'> {
  const log = opts.logger
  for (const marker of opts.markerPaths) if (await exists(marker)) return 'already-done'
  let wrote = false
  for (const marker of opts.markerPaths) {
    try {
      await mkdir(dirname(marker), { recursive: true })
    } catch {
      continue
    }
    try {
      // `wx`: if another process wrote the marker meanwhile, it owns the prompt.
      await writeFile(marker, 'attempted', { flag: 'wx' })
      wrote = true
      break
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EEXIST') return 'already-done'
    }
  }
  if (!wrote) {
    log.warn(
      { markers: opts.markerPaths },
      'could not write the initial_prompt marker; the prompt may run again on the next boot',
    )
  }

  let ready = false
  for (let i = 0; i < (opts.readinessAttempts ?? 30) && !opts.signal.aborted; i++) {
    try {
      const res = await fetch(opts.readinessUrl, { signal: AbortSignal.timeout(2000) })
      await res.body?.cancel()
      if (res.ok) {
        ready = true
        break
      }
    } catch {
      // not listening yet
    }
    await sleep(opts.readinessIntervalMs ?? 1000, opts.signal)
  }
  if (opts.signal.aborted) return 'aborted'
  if (!ready) {
    log.warn({ url: opts.readinessUrl }, 'initial prompt skipped: the A2A server never became ready')
    return 'not-ready'
  }

  const attempts = opts.sendAttempts ?? 5
  for (let attempt = 1; attempt <= attempts; attempt++) {
    try {
      await sendSelfPrompt(opts.platform, opts.prompt, 'initial', opts.sendTimeoutMs ?? 600_000, opts.signal)
      log.info('Initial prompt: sent')
      return 'sent'
    } catch (err) {
      if (opts.signal.aborted) return 'aborted'
      log.warn({ attempt, err: (err as Error).message }, 'initial prompt delivery failed')
      if (attempt < attempts) await sleep((opts.retryBaseMs ?? 1000) * 2 ** (attempt - 1), opts.signal)
    }
  }
  log.error('Initial prompt: giving up after all attempts')
  return 'failed'
}

export interface IdleLoopOptions {
  prompt: string
  platform: SelfPromptPlatform
  intervalMs: number
  /** Wait before the first tick; default min(interval, 60 s). */
  settleMs?: number
  /** Tasks in flight right now; the idle prompt fires only at zero. */
  activeTasks: () => number
  logger: Logger
}

/**
 * Idle loop: every interval, if the agent has nothing running, nudge it with `idle_prompt`
 * (fire-and-forget; a slow reply never delays the next check).
 */
export class IdleLoop {
  readonly #opts: IdleLoopOptions
  #timer: NodeJS.Timeout | undefined
  #fired = 0
  #skipped = 0
  /** Aborted by `stop()`: an idle prompt the platform still holds is not left open past the runtime's stop. */
  #abort = new AbortController()

  constructor(options: IdleLoopOptions) {
    this.#opts = options
  }

  get stats(): { fired: number; skipped: number } {
    return { fired: this.#fired, skipped: this.#skipped }
  }

  start(): void {
    if (this.#abort.signal.aborted) this.#abort = new AbortController()
    const settle = this.#opts.settleMs ?? Math.min(this.#opts.intervalMs, 60_000)
    this.#timer = setTimeout(() => this.#loop(), settle)
    this.#timer.unref()
  }

  stop(): void {
    clearTimeout(this.#timer)
    this.#timer = undefined
    this.#abort.abort()
  }

  #loop(): void {
    this.#timer = setTimeout(() => {
      this.tick()
      this.#loop()
    }, this.#opts.intervalMs)
    this.#timer.unref()
  }

  /** One check; exposed for tests. */
  tick(): void {
    if (this.#opts.activeTasks() > 0) {
      this.#skipped++
      return
    }
    this.#fired++
    const timeoutMs = Math.min(Math.max(this.#opts.intervalMs, 60_000), 300_000)
    const { signal } = this.#abort
    sendSelfPrompt(this.#opts.platform, this.#opts.prompt, 'idle', timeoutMs, signal).then(
      () => this.#opts.logger.debug('idle prompt delivered'),
      (err: Error) => {
        if (signal.aborted) this.#opts.logger.debug('idle prompt abandoned: stopping')
        else this.#opts.logger.warn({ err: err.message }, 'idle prompt delivery failed')
      },
    )
  }
}
