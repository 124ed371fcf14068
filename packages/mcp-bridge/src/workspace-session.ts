import { join } from 'node:path'
import { type Logger, rememberSecret } from '@molecule/core'
import {
  HeartbeatLoop,
  type InboxMessage,
  InboxPoller,
  isPlatformError,
  PlatformClient,
  type RegisterBody,
  type Turns,
  writeFileAtomic,
} from '@molecule/platform-client'
import type { BridgeConfig, WorkspaceEntry } from './bridge-config.js'
import { PendingUploadResolver } from './pending-uploads.js'

/** Where the platform's inbound secret of `workspaceId` is kept, inside the configs dir. */
export function inboundSecretFileName(config: BridgeConfig, workspaceId: string): string {
  return config.mode === 'single' ? '.platform_inbound_secret' : `.platform_inbound_secret_${workspaceId}`
}

/**
 * The poll-mode register body of one workspace. Register replaces the stored agent card, so every caller (the
 * session and `doctor`) must send this same card.
 */
export function bridgeRegisterBody(config: BridgeConfig, workspaceId: string): RegisterBody {
  const card: RegisterBody['agent_card'] = {
    name: config.agentName ?? `molecule-mcp-${workspaceId.slice(0, 8)}`,
    skills: config.agentSkills.map((name) => ({ name })),
  }
  if (config.agentDescription) card.description = config.agentDescription
  return { url: '', agent_card: card, delivery_mode: 'poll' }
}

export interface SessionOptions {
  entry: WorkspaceEntry
  config: BridgeConfig
  logger: Logger
  onMessage: (message: InboxMessage, session: WorkspaceSession) => void
  /** Injected for tests; default global fetch. */
  fetch?: typeof fetch
  /** Shared by every session on the same platform: their polls, and their heartbeats, take turns. */
  turns?: LoopTurns
}

/** The turns the loops of the sessions on one platform share: one line for polls, one for heartbeats. */
export interface LoopTurns {
  polls: Turns
  heartbeats: Turns
}

/**
 * Everything one served workspace needs, isolated from the others: its own client (token + platform URL),
 * registration, heartbeat and inbox poller. A failure here (bad token, unreachable platform) is recorded as
 * `problem` for the tools to report and never touches the other sessions.
 */
export class WorkspaceSession {
  readonly id: string
  readonly client: PlatformClient
  readonly poller: InboxPoller | undefined
  readonly uploads: PendingUploadResolver | undefined
  #heartbeat: HeartbeatLoop | undefined
  #problem: string | undefined
  #registered = false
  #fatal = false
  #retryTimer: NodeJS.Timeout | undefined
  #stopped = false
  #inboundSecret: string | undefined
  /** Writes of the inbound secret, one after the other, so an older secret never lands over a newer one. */
  #secretWrites: Promise<void> = Promise.resolve()
  readonly #logger: Logger
  #firstAttemptDone: () => void = () => {}
  /** Settles when `start()` has made its first registration attempt (successful or not). */
  readonly #firstAttempt = new Promise<void>((resolve) => {
    this.#firstAttemptDone = resolve
  })

  constructor(private readonly options: SessionOptions) {
    const { entry, config } = options
    this.id = entry.id
    this.#logger = options.logger.child({ workspaceId: entry.id })
    const headers: Record<string, string> = {}
    this.client = new PlatformClient({
      platformUrl: entry.platformUrl,
      workspaceId: entry.id,
      token: entry.token,
      origin: entry.platformUrl,
      // The org header belongs to this process's own tenant only: never stamped on an entry with its own URL.
      ...(config.orgId && !entry.ownUrl ? { orgId: config.orgId } : {}),
      headers,
      logger: this.#logger,
      ...(options.fetch ? { fetch: options.fetch } : {}),
    })
    if (!config.disableInbox) {
      // User uploads to this poll-mode workspace: fetched, saved 0600 under the configs dir, acknowledged, and
      // their platform-pending: URIs rewritten to the local path before the agent sees a message.
      this.uploads = new PendingUploadResolver({
        client: this.client,
        dir: join(config.configsDir, 'chat-uploads'),
        logger: this.#logger,
      })
      this.poller = new InboxPoller({
        prepareRow: this.uploads.prepareRow,
        client: this.client,
        cursorDir: config.configsDir,
        intervalMs: config.pollIntervalMs,
        logger: this.#logger,
        onMessage: (message) => options.onMessage(message, this),
        ...(options.turns ? { turns: options.turns.polls } : {}),
      })
    }
  }

  /** Why this workspace cannot act, or undefined when it can. */
  get problem(): string | undefined {
    return this.#problem
  }

  /** The platform refused this workspace for good (token rejected, workspace removed): no retry will help. */
  get fatal(): boolean {
    return this.#fatal
  }

  get registered(): boolean {
    return this.#registered
  }

  get heartbeat(): HeartbeatLoop | undefined {
    return this.#heartbeat
  }

  registerBody(): RegisterBody {
    return bridgeRegisterBody(this.options.config, this.id)
  }

  /** Registers, then starts heartbeat and inbox. Never throws: problems are recorded per workspace. */
  async start(): Promise<void> {
    try {
      if (this.options.config.disableHeartbeat) this.poller?.start()
      else await this.registerOnce('boot')
    } finally {
      this.#firstAttemptDone()
    }
  }

  /**
   * Resolves once this workspace's inbox holds what the platform had queued when the bridge started: the first poll
   * finished. A workspace whose first register failed has nothing to wait for.
   */
  async inboxReady(): Promise<void> {
    await this.#firstAttempt
    const polling = this.#registered || this.options.config.disableHeartbeat
    if (polling && this.poller) await this.poller.whenPolledOnce()
  }

  private async registerOnce(reason: string): Promise<void> {
    if (this.#stopped) return
    try {
      const res = await this.client.register(this.registerBody(), { retry: false })
      this.saveInboundSecret(res.platform_inbound_secret)
      this.#registered = true
      this.#fatal = false
      this.#problem = undefined
      this.#logger.info({ reason }, 'registered (poll delivery)')
      this.startLoops()
    } catch (err) {
      const status = isPlatformError(err) ? err.status : undefined
      if (status === 401 || status === 403) {
        this.#problem = `the platform rejected its token (HTTP ${status}); it was revoked or belongs to another workspace — create a new token for ${this.id} and restart molecule-mcp`
        this.#logger.error({ status }, `workspace ${this.id}: token rejected; ${this.disabledNote()}`)
        this.#fatal = true
        this.stopLoops()
        return
      }
      if (status === 410) {
        // A deleted workspace (the platform says 410 Gone): registering again can never succeed.
        this.#problem = `workspace ${this.id} was removed from the platform (HTTP 410); create a new workspace, then use its id and token and restart molecule-mcp`
        this.#logger.error(
          { status },
          `workspace ${this.id}: removed from the platform; ${this.disabledNote()}`,
        )
        this.#fatal = true
        this.stopLoops()
        return
      }
      const why = isPlatformError(err) ? err.message : String(err)
      this.#problem = `not registered yet: ${why}`
      this.#logger.warn({ err: why }, 'register failed; retrying')
      this.scheduleRetry(isPlatformError(err) ? err.retryAfterMs : undefined)
    }
  }

  /**
   * The platform's shared secret for calls into this agent: kept in the configs dir, 0600, never logged. Written
   * atomically (a fresh exclusive temp file, fsynced, renamed), never blocking the session.
   */
  private saveInboundSecret(secret: string | undefined): void {
    if (!secret || secret === this.#inboundSecret) return
    this.#inboundSecret = secret
    rememberSecret(secret)
    const { config } = this.options
    const path = join(config.configsDir, inboundSecretFileName(config, this.id))
    this.#secretWrites = this.#secretWrites
      .then(() => writeFileAtomic(path, secret))
      .catch((err: Error) => {
        this.#logger.warn({ err: err.message }, 'cannot save the platform inbound secret; continuing')
      })
  }

  /** What a disabled workspace means for the process: only multi mode has other workspaces that keep running. */
  private disabledNote(): string {
    const others = this.options.config.workspaces.length - 1
    return others > 0
      ? `this workspace is disabled, the other ${others} keep running`
      : 'no workspace is served until the token is fixed and molecule-mcp is restarted'
  }

  /** Registers again later: after the heartbeat interval (1–30 s), or the platform's Retry-After when longer. */
  private scheduleRetry(retryAfterMs?: number): void {
    if (this.#stopped || this.#retryTimer) return
    const base = Math.min(30_000, Math.max(1_000, this.options.config.heartbeatIntervalMs))
    const delay = Math.max(base, Math.min(retryAfterMs ?? 0, 300_000))
    this.#retryTimer = setTimeout(() => {
      this.#retryTimer = undefined
      void this.registerOnce('retry')
    }, delay)
    this.#retryTimer.unref()
  }

  private startLoops(): void {
    if (this.#stopped) return
    if (!this.#heartbeat) {
      const startedAt = Date.now()
      this.#heartbeat = new HeartbeatLoop({
        client: this.client,
        intervalMs: this.options.config.heartbeatIntervalMs,
        logger: this.#logger,
        snapshot: () => ({
          error_rate: 0,
          sample_error: '',
          active_tasks: 0,
          uptime_seconds: Math.round((Date.now() - startedAt) / 1000),
        }),
        // A 401/404 heartbeat: register again once; a rejected token disables only this workspace.
        onReregister: () => this.registerOnce('heartbeat rejected'),
        onResponse: (res) => this.saveInboundSecret(res.platform_inbound_secret),
        ...(this.options.turns ? { turns: this.options.turns.heartbeats } : {}),
      })
      this.#heartbeat.start()
    }
    this.poller?.start()
  }

  private stopLoops(): void {
    const heartbeat = this.#heartbeat
    this.#heartbeat = undefined
    void heartbeat?.stop()
    void this.poller?.stop()
  }

  async stop(): Promise<void> {
    this.#stopped = true
    this.#firstAttemptDone()
    if (this.#retryTimer) clearTimeout(this.#retryTimer)
    await Promise.all([this.#heartbeat?.stop(), this.poller?.stop(), this.#secretWrites])
  }
}
