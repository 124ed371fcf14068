import type { PushNotificationConfig, Task } from '@molecule/adapter-core/a2a'
import type { Logger } from '@molecule/core'
import { postPinned } from './pinned-post.js'
import { pushTargetProblem, type Resolver, vetPushTarget } from './url-guard.js'

export interface PushNotificationOptions {
  /** Allow loopback/private/link-local targets (tests, trusted networks). Default false. */
  allowPrivateTargets?: boolean
  /** Attempts per delivery, first included. Default 3. */
  attempts?: number
  /** First retry delay; doubles each retry. Default 500 ms. */
  backoffMs?: number
  /** Per-attempt timeout. Default 5 s. */
  timeoutMs?: number
  /** Most configs per task. Default 10. */
  maxConfigsPerTask?: number
  /**
   * Most tasks at rest whose configs are kept: finished ones (configs set after a task's final
   * notification stay readable) and ones waiting for input or auth, which may never be continued.
   * Nothing else would forget them; the oldest go first. Default 10,000.
   */
  maxFinishedTasks?: number
  /**
   * DNS resolver of push hosts (tests inject one). A host is resolved once per check; a delivery
   * connects to the address that check vetted.
   */
  resolve?: Resolver
}

/**
 * A push config as callers read it back: the secrets it carries for the receiver (`token`,
 * `authentication.credentials`) are never echoed; `url`, `id` and the auth `schemes` are.
 */
export function publicPushConfig(config: PushNotificationConfig): PushNotificationConfig {
  const { token: _token, authentication, ...rest } = config
  return authentication === undefined
    ? rest
    : { ...rest, authentication: { schemes: authentication.schemes } }
}

/**
 * Stores push configs per task and POSTs the task (v0.3 shape) to each URL on every status change,
 * in order per task, retrying 5xx / network errors with exponential backoff. The config token is sent
 * as `X-A2A-Notification-Token`; `authentication.credentials` as `Authorization: <scheme> <credentials>`.
 * Each delivery checks its URL again (resolving the host once) and connects to the vetted address.
 */
export class PushNotifier {
  readonly #configs = new Map<string, PushNotificationConfig[]>()
  readonly #chains = new Map<string, Promise<void>>()
  /** Tasks at rest (finished, or waiting for input) holding configs, oldest first; bounded by maxFinishedTasks. */
  readonly #resting = new Set<string>()
  readonly #opts: Required<Omit<PushNotificationOptions, 'resolve'>> & { resolve?: Resolver }
  readonly #logger: Logger

  constructor(options: PushNotificationOptions, logger: Logger) {
    this.#opts = {
      allowPrivateTargets: options.allowPrivateTargets ?? false,
      attempts: Math.max(1, options.attempts ?? 3),
      backoffMs: options.backoffMs ?? 500,
      timeoutMs: options.timeoutMs ?? 5_000,
      maxConfigsPerTask: options.maxConfigsPerTask ?? 10,
      maxFinishedTasks: Math.max(1, options.maxFinishedTasks ?? 10_000),
      ...(options.resolve ? { resolve: options.resolve } : {}),
    }
    this.#logger = logger
  }

  /** Returns a reason when the URL is refused. */
  check(url: string): Promise<string | undefined> {
    return pushTargetProblem(url, this.#opts.allowPrivateTargets, this.#opts.resolve)
  }

  /**
   * Stores a config. `resting`: the task is not running (finished, or waiting for input), so no final
   * notification will forget this config; see `rest`.
   */
  set(taskId: string, config: PushNotificationConfig, resting = false): PushNotificationConfig | string {
    const list = this.#configs.get(taskId) ?? []
    const id = config.id ?? taskId
    const stored = { ...config, id }
    const at = list.findIndex((c) => c.id === id)
    if (at >= 0) list[at] = stored
    else if (list.length >= this.#opts.maxConfigsPerTask)
      return `at most ${this.#opts.maxConfigsPerTask} push configs per task`
    else list.push(stored)
    this.#configs.set(taskId, list)
    if (resting) this.rest(taskId)
    return stored
  }

  /**
   * The task's run ended without a final state (input-required, auth-required): it may never be
   * continued, so its configs join the bounded set of tasks at rest, oldest dropped first.
   */
  rest(taskId: string): void {
    if (!this.#configs.has(taskId) || this.#resting.has(taskId)) return
    this.#resting.add(taskId)
    if (this.#resting.size > this.#opts.maxFinishedTasks)
      for (const oldest of this.#resting) {
        this.forget(oldest)
        break
      }
  }

  /** The task runs again: its final notification will forget its configs, so it leaves the bound. */
  wake(taskId: string): void {
    this.#resting.delete(taskId)
  }

  get(taskId: string, configId?: string): PushNotificationConfig | undefined {
    const list = this.#configs.get(taskId)
    if (!list) return undefined
    return configId === undefined ? list[0] : list.find((c) => c.id === configId)
  }

  list(taskId: string): PushNotificationConfig[] {
    return this.#configs.get(taskId) ?? []
  }

  delete(taskId: string, configId: string): boolean {
    const list = this.#configs.get(taskId)
    if (!list) return false
    const next = list.filter((c) => c.id !== configId)
    if (next.length === 0) this.forget(taskId)
    else this.#configs.set(taskId, next)
    return next.length !== list.length
  }

  /** Forgets a task's configs (after its final notification went out). */
  forget(taskId: string): void {
    this.#configs.delete(taskId)
    this.#resting.delete(taskId)
  }

  has(taskId: string): boolean {
    return this.#configs.has(taskId)
  }

  /** Queues a notification of the task's current state to each config; never throws. */
  notify(task: Task): Promise<void> {
    const configs = this.#configs.get(task.id)
    if (!configs || configs.length === 0) return Promise.resolve()
    const body = JSON.stringify(task)
    const previous = this.#chains.get(task.id) ?? Promise.resolve()
    const next = previous.then(() =>
      Promise.all(configs.map((c) => this.#deliver(task.id, c, body))).then(() => undefined),
    )
    this.#chains.set(task.id, next)
    void next.then(() => {
      if (this.#chains.get(task.id) === next) this.#chains.delete(task.id)
    })
    return next
  }

  /** Resolves when every queued notification has been attempted. */
  async idle(): Promise<void> {
    await Promise.all([...this.#chains.values()])
  }

  async #deliver(taskId: string, config: PushNotificationConfig, body: string): Promise<void> {
    const log = this.#logger.child({ taskId, pushConfigId: config.id })
    // Re-checked at delivery: DNS may have changed since the config was accepted. The connection
    // then goes to the address this check vetted, not to a second answer of DNS.
    const target = await vetPushTarget(config.url, this.#opts.allowPrivateTargets, this.#opts.resolve)
    if (typeof target === 'string') {
      log.warn({ problem: target }, 'push notification target refused')
      return
    }
    const headers: Record<string, string> = { 'content-type': 'application/json' }
    if (config.token) headers['x-a2a-notification-token'] = config.token
    const scheme = config.authentication?.schemes[0]
    if (scheme && config.authentication?.credentials)
      headers.authorization = `${scheme} ${config.authentication.credentials}`
    let delay = this.#opts.backoffMs
    for (let attempt = 1; attempt <= this.#opts.attempts; attempt++) {
      try {
        // Never follows a redirect: a 3xx is a refusal like any other 4xx.
        const status = await postPinned(target, headers, body, this.#opts.timeoutMs)
        if (status >= 200 && status < 300) return
        if (status < 500 && status !== 429) {
          log.warn({ status }, 'push notification rejected by receiver')
          return
        }
        log.debug({ status, attempt }, 'push notification failed; retrying')
      } catch (err) {
        log.debug({ err: (err as Error).message, attempt }, 'push notification failed; retrying')
      }
      if (attempt < this.#opts.attempts) {
        await new Promise((r) => setTimeout(r, delay))
        delay *= 2
      }
    }
    log.warn({ attempts: this.#opts.attempts }, 'push notification undeliverable; giving up')
  }
}
