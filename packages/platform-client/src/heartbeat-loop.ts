import type { PlatformClient } from './client.js'
import { isPlatformError } from './errors.js'
import { FailureLog, type FailureLogOptions } from './failure-log.js'
import { type Logger, silentLogger } from './logger.js'
import type { HeartbeatResponse } from './schemas.js'
import type { HeartbeatBody } from './types.js'

export interface HeartbeatLoopOptions {
  client: PlatformClient
  /**
   * Produces the `POST /registry/heartbeat` body for each beat: `active_tasks`, `current_task`,
   * `uptime_seconds`, `error_rate`, `sample_error`, wedge fields (`runtime_state: "wedged"`) and `runtime_metadata`.
   */
  snapshot: () => HeartbeatBody | Promise<HeartbeatBody>
  /** Default 30 000 ms. */
  intervalMs?: number
  /** Per-beat HTTP timeout; default the client's. */
  timeoutMs?: number
  logger?: Logger
  failureLog?: FailureLogOptions
  /**
   * Called when the platform does not know this workspace (404, a body asking to re-register) or rejected the
   * token (401 after the client's own re-read). Typically `() => registration.reregister()`. At most one call per
   * `reregisterCooldownMs`; errors are logged, never thrown.
   */
  onReregister?: (reason: string) => unknown
  /** Default 30 000 ms. */
  reregisterCooldownMs?: number
  /** Every successful heartbeat response (e.g. to persist `platform_inbound_secret`). */
  onResponse?: (response: HeartbeatResponse) => void
}

/** Response statuses that mean "the platform does not know you" on platforms that say so. */
const REREGISTER_STATUSES = new Set([
  'unregistered',
  'unknown',
  'reregister',
  're-register',
  'not_registered',
])

/**
 * Posts `POST /registry/heartbeat` every `intervalMs`, plus coalesced immediate beats via `pulse()` (task start /
 * end). Never throws out of the loop and never rejects unhandled; failures are counted and logged with a bounded
 * volume; `stop()` aborts an in-flight beat and resolves promptly.
 */
export class HeartbeatLoop {
  private readonly intervalMs: number
  private readonly logger: Logger
  private readonly failures: FailureLog
  private abort = new AbortController()
  private running: Promise<void> | undefined
  private stopped = false
  private pulseRequested = false
  private wake: (() => void) | undefined
  private lastReregisterAt = Number.NEGATIVE_INFINITY
  private beats = 0
  private lastSuccess: number | undefined

  constructor(private readonly options: HeartbeatLoopOptions) {
    this.intervalMs = options.intervalMs ?? 30_000
    this.logger = options.logger ?? silentLogger
    this.failures = new FailureLog(this.logger, 'heartbeat', options.failureLog)
  }

  /** Consecutive failed beats (0 after a success). */
  get consecutiveFailures(): number {
    return this.failures.consecutive
  }

  /** Beats attempted so far. */
  get beatCount(): number {
    return this.beats
  }

  /** `Date.now()` of the last accepted heartbeat. */
  get lastSuccessAt(): number | undefined {
    return this.lastSuccess
  }

  /** Starts beating immediately, then every `intervalMs`. No-op when already started. */
  start(): void {
    if (this.running || this.stopped) return
    this.running = this.run().catch((err) => {
      // run() handles everything itself; this is the last line of defence against an unhandled rejection.
      this.logger.error({ err: (err as Error)?.message }, 'heartbeat loop ended unexpectedly')
    })
  }

  /**
   * Requests an extra heartbeat now (task started / finished). Several pulses while one beat is in flight
   * collapse into a single follow-up beat.
   */
  pulse(): void {
    if (this.stopped) return
    this.pulseRequested = true
    this.wake?.()
  }

  async stop(): Promise<void> {
    this.stopped = true
    this.abort.abort(new Error('HeartbeatLoop stopped'))
    this.wake?.()
    await this.running
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      this.pulseRequested = false
      await this.beat()
      if (this.stopped) break
      if (!this.pulseRequested) await this.waitForNextBeat()
    }
  }

  private waitForNextBeat(): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, this.intervalMs)
      timer.unref?.()
      const self = this
      function done() {
        clearTimeout(timer)
        self.wake = undefined
        resolve()
      }
      this.wake = done
    })
  }

  private async beat(): Promise<void> {
    const { client } = this.options
    this.beats++
    try {
      const body = await this.options.snapshot()
      const res = await client.heartbeat(body, {
        signal: this.abort.signal,
        retry: false,
        ...(this.options.timeoutMs !== undefined ? { timeoutMs: this.options.timeoutMs } : {}),
      })
      this.lastSuccess = Date.now()
      this.failures.success()
      this.safely(() => this.options.onResponse?.(res), 'onResponse')
      if (REREGISTER_STATUSES.has(res.status.toLowerCase()) || res.reregister === true) {
        this.requestReregister(`heartbeat answered status "${res.status}"`)
      }
    } catch (err) {
      if (this.abort.signal.aborted) return
      this.failures.failure(err, {})
      if (isPlatformError(err) && (err.status === 404 || err.status === 401)) {
        this.requestReregister(`heartbeat answered ${err.status}`)
      }
    }
  }

  private requestReregister(reason: string): void {
    const hook = this.options.onReregister
    if (!hook) return
    const now = Date.now()
    if (now - this.lastReregisterAt < (this.options.reregisterCooldownMs ?? 30_000)) return
    this.lastReregisterAt = now
    this.logger.warn({ reason }, 're-registering with the platform')
    this.safely(() => hook(reason), 'onReregister')
  }

  private safely(fn: () => unknown, what: string): void {
    try {
      const out = fn()
      if (out && typeof (out as Promise<unknown>).then === 'function') {
        ;(out as Promise<unknown>).then(undefined, (err: unknown) => {
          this.logger.warn({ err: (err as Error)?.message }, `heartbeat ${what} hook failed`)
        })
      }
    } catch (err) {
      this.logger.warn({ err: (err as Error)?.message }, `heartbeat ${what} hook failed`)
    }
  }
}
