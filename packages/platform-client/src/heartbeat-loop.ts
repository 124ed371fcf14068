import { alignedDelay } from './aligned-delay.js'
import type { PlatformClient } from './client.js'
import { isPlatformError, PlatformClientError } from './errors.js'
import { FailureLog, type FailureLogOptions } from './failure-log.js'
import { type Logger, silentLogger } from './logger.js'
import type { HeartbeatResponse } from './schemas.js'
import type { Turns } from './turns.js'
import type { HeartbeatBody } from './types.js'

export interface HeartbeatLoopOptions {
  client: Pick<PlatformClient, 'heartbeat'>
  /**
   * Produces the `POST /registry/heartbeat` body for each beat: `active_tasks`, `current_task`,
   * `uptime_seconds`, `error_rate`, `sample_error`, wedge fields (`runtime_state: "wedged"`) and `runtime_metadata`.
   */
  snapshot: () => HeartbeatBody | Promise<HeartbeatBody>
  /** Default 30 000 ms. */
  intervalMs?: number
  /**
   * Shortest time between the starts of two beats asked for by `pulse()`; default 1000 ms (0: no window). A pulse
   * sooner than that becomes one trailing beat when the window ends, so a busy workspace costs the platform at most
   * one extra heartbeat per window, and the last state still reaches it within one window. Regular beats neither
   * open nor wait for a window.
   */
  pulseWindowMs?: number
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
  /**
   * Shared by the heartbeat loops of one process that beat to the same platform, so that only `turns.limit` of their
   * beats are in flight at once (see `Turns`). Default: none, this loop never waits for another.
   */
  turns?: Turns
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
 * Posts `POST /registry/heartbeat` every `intervalMs`, plus immediate beats asked for by `pulse()` (the workspace
 * turned busy or idle), at most one per `pulseWindowMs`: a pulse inside the window waits for its end, and any number
 * of pulses meanwhile make one trailing beat, which carries the state of that moment. Never two beats in flight.
 * Never throws out of the loop and never rejects unhandled; failures are counted and logged with a bounded volume;
 * `stop()` aborts an in-flight beat, cancels a pending one and resolves promptly.
 */
export class HeartbeatLoop {
  private readonly intervalMs: number
  private readonly pulseWindowMs: number
  private readonly logger: Logger
  private readonly failures: FailureLog
  private abort = new AbortController()
  private running: Promise<void> | undefined
  private stopped = false
  private pulseRequested = false
  /** `performance.now()` when the last pulsed beat started: the next one waits until `pulseWindowMs` after it. */
  private lastPulsedBeatAt = Number.NEGATIVE_INFINITY
  /** Set while waiting between beats: `wake` ends the wait now, `reschedule` re-reads what is due. */
  private wake: (() => void) | undefined
  private reschedule: (() => void) | undefined
  private lastReregisterAt = Number.NEGATIVE_INFINITY
  private beats = 0
  private lastSuccess: number | undefined
  /** A beat as `turns` runs it, made once rather than a closure per beat. */
  private readonly beatInTurn = (): Promise<void> => this.beat()

  constructor(private readonly options: HeartbeatLoopOptions) {
    this.intervalMs = options.intervalMs ?? 30_000
    this.pulseWindowMs = options.pulseWindowMs ?? 1000
    if (!Number.isFinite(this.pulseWindowMs) || this.pulseWindowMs < 0) {
      throw new PlatformClientError(
        'HEARTBEAT_PULSE_WINDOW_INVALID',
        `pulseWindowMs: got ${String(options.pulseWindowMs)}, expected a number of milliseconds ≥ 0.`,
        {
          path: 'pulseWindowMs',
          fix: 'Pass a whole number of milliseconds (default 1000), or leave it out.',
        },
      )
    }
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
   * Requests an extra heartbeat (the workspace turned busy or idle). It starts at once when the last pulsed beat
   * started at least `pulseWindowMs` ago and no beat is in flight; otherwise as soon as both hold. Pulses until then
   * collapse into that one beat.
   */
  pulse(): void {
    if (this.stopped || this.pulseRequested) return
    this.pulseRequested = true
    this.reschedule?.()
  }

  async stop(): Promise<void> {
    this.stopped = true
    this.abort.abort(new Error('HeartbeatLoop stopped'))
    this.wake?.()
    await this.running
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      // The snapshot is taken by this beat, so a pulse asked for before it is answered by it.
      if (this.pulseRequested) this.lastPulsedBeatAt = performance.now()
      this.pulseRequested = false
      const turns = this.options.turns
      if (turns === undefined) await this.beat()
      else {
        try {
          await turns.run(this.beatInTurn, this.abort.signal)
        } catch {
          // Only `stop()` aborting the wait for a turn gets here; `beat()` itself never throws.
        }
      }
      if (this.stopped) break
      await this.waitForNextBeat()
    }
  }

  /**
   * Until the regular beat is due (the next point of the `intervalMs` grid every heartbeat loop of the process
   * shares) or, once pulsed, the pulse window has passed.
   */
  private waitForNextBeat(): Promise<void> {
    const regularAt = performance.now() + alignedDelay(this.intervalMs)
    return new Promise((resolve) => {
      let timer: ReturnType<typeof setTimeout> | undefined
      const done = (): void => {
        clearTimeout(timer)
        this.clearWait()
        resolve()
      }
      const schedule = (): void => {
        clearTimeout(timer)
        const dueAt = this.pulseRequested
          ? Math.min(regularAt, this.lastPulsedBeatAt + this.pulseWindowMs)
          : regularAt
        const delay = dueAt - performance.now()
        // A due pulse beats now; the regular beat always waits for a timer, so the loop never spins without yielding.
        if (delay <= 0 && this.pulseRequested) {
          done()
          return
        }
        timer = setTimeout(done, Math.max(0, delay))
        timer.unref?.()
      }
      this.wake = done
      this.reschedule = schedule
      schedule()
    })
  }

  private clearWait(): void {
    this.wake = undefined
    this.reschedule = undefined
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
