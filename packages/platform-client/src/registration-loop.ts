import { EventEmitter } from 'node:events'
import { backoffDelay, sleep } from './backoff.js'
import type { PlatformClient } from './client.js'
import { FailureLog, type FailureLogOptions } from './failure-log.js'
import { type Logger, silentLogger } from './logger.js'
import type { RegisterResponse } from './schemas.js'
import type { RegisterBody } from './types.js'

export interface RegistrationLoopOptions {
  client: PlatformClient
  /** The register body (without `id`), or a function producing it per attempt (e.g. a fresh agent card). */
  body: RegisterBody | (() => RegisterBody | Promise<RegisterBody>)
  /** Backoff between attempts (full jitter). Default `{ baseMs: 500, maxMs: 30000 }`. */
  retry?: { baseMs?: number; maxMs?: number }
  /** Per-attempt HTTP timeout; default the client's. */
  timeoutMs?: number
  /**
   * How long `stop()` lets a register already in flight finish before aborting it. Default 1000 ms: the platform
   * may already have minted the workspace's token, which it shows only once, and an aborted answer loses it.
   */
  stopSettleMs?: number
  logger?: Logger
  failureLog?: FailureLogOptions
  random?: () => number
}

/**
 * Registers the workspace, retrying with backoff + jitter until the platform accepts it (it may be down at
 * boot). The minted token (first register only) is saved by the client into its token source before
 * `registered` resolves. Emits `'registered'` with the response after every successful (re-)registration.
 */
export class RegistrationLoop extends EventEmitter<{ registered: [RegisterResponse] }> {
  /** Resolves on the first successful registration; rejects only if the loop is stopped before that. */
  readonly registered: Promise<RegisterResponse>
  private resolveFirst!: (res: RegisterResponse) => void
  private rejectFirst!: (err: unknown) => void
  private firstDone = false
  private running: Promise<RegisterResponse> | undefined
  /** Aborts the register in flight (stop, once its settle time is over). */
  private readonly request = new AbortController()
  /** Aborts the wait between attempts (stop, at once). */
  private readonly pause = new AbortController()
  private stopped = false
  private readonly failures: FailureLog
  private readonly logger: Logger

  constructor(private readonly options: RegistrationLoopOptions) {
    super()
    this.logger = options.logger ?? silentLogger
    this.failures = new FailureLog(this.logger, 'platform registration', options.failureLog)
    this.registered = new Promise<RegisterResponse>((resolve, reject) => {
      this.resolveFirst = resolve
      this.rejectFirst = reject
    })
    // Marked handled: a caller that never awaits `registered` must not see an unhandled rejection on stop().
    this.registered.catch(() => {})
  }

  get isRegistered(): boolean {
    return this.firstDone
  }

  /** Starts registering (no-op when a run is already in progress or the loop was stopped). */
  start(): void {
    void this.reregister('boot').catch(() => {})
  }

  /**
   * Registers again (e.g. the heartbeat learned the platform forgot us). Joins a run already in progress.
   * Rejects only when the loop is stopped first.
   */
  reregister(reason = 'requested'): Promise<RegisterResponse> {
    if (this.stopped) return Promise.reject(new Error('RegistrationLoop is stopped'))
    if (!this.running) {
      this.running = this.run(reason).finally(() => {
        this.running = undefined
      })
      this.running.catch(() => {})
    }
    return this.running
  }

  /**
   * Stops retrying; resolves promptly. A register in flight gets `stopSettleMs` to finish (a token it mints is then
   * stored) and is aborted after that; its answer no longer counts as a registration of this loop.
   */
  async stop(): Promise<void> {
    if (this.stopped) return
    this.stopped = true
    const reason = new Error('RegistrationLoop stopped')
    this.pause.abort(reason)
    const settle = setTimeout(() => this.request.abort(reason), this.options.stopSettleMs ?? 1000)
    await this.running?.catch(() => {})
    clearTimeout(settle)
    this.request.abort(reason)
    if (!this.firstDone)
      this.rejectFirst(new Error('RegistrationLoop stopped before the workspace registered'))
  }

  private async run(reason: string): Promise<RegisterResponse> {
    const { client } = this.options
    const backoff = { baseMs: this.options.retry?.baseMs ?? 500, maxMs: this.options.retry?.maxMs ?? 30_000 }
    const stopped = () => new Error('RegistrationLoop stopped')
    for (let attempt = 0; ; attempt++) {
      if (this.stopped) throw stopped()
      const signal = this.request.signal
      try {
        const body = typeof this.options.body === 'function' ? await this.options.body() : this.options.body
        const res = await client.register(body, {
          signal,
          retry: false,
          ...(this.options.timeoutMs !== undefined ? { timeoutMs: this.options.timeoutMs } : {}),
        })
        // Stopped while it was in flight: the client stored any minted token; nothing else may start now.
        if (this.stopped) throw stopped()
        this.failures.success()
        this.logger.info(
          { reason, attempts: attempt + 1, deliveryMode: res.delivery_mode },
          'registered with the platform',
        )
        if (!this.firstDone) {
          this.firstDone = true
          this.resolveFirst(res)
        }
        this.emit('registered', res)
        return res
      } catch (err) {
        if (this.stopped) throw signal.aborted ? signal.reason : stopped()
        this.failures.failure(err, { attempt: attempt + 1 })
      }
      await sleep(backoffDelay(attempt, backoff, this.options.random), this.pause.signal)
    }
  }
}
