import type { Logger } from '@molecule/core'
import { type InboxMessage, type PlatformClient, Turns } from '@molecule/platform-client'
import type { PeerRoute, WorkspaceDirectory } from '@molecule/tools'
import type { BridgeConfig } from './bridge-config.js'
import { presentMessage } from './inbox-message.js'
import { type LoopTurns, WorkspaceSession } from './workspace-session.js'

const PEER_MAP_LIMIT = 1024
const PEER_INFO_TTL_MS = 5 * 60_000

interface PeerInfo {
  name?: string
  at: number
}

/**
 * A platform URL reduced to what names a tenant (scheme, host, port, path), so `http://Host:80/` and `http://host`
 * are one tenant while two ports of one host are two.
 */
function tenantOf(platformUrl: string): string {
  try {
    const url = new URL(platformUrl)
    return `${url.origin}${url.pathname.replace(/\/+$/, '')}`
  } catch {
    return platformUrl
  }
}

/** A workspace id is unique only within its own platform, so everything learnt about a peer is keyed by both. */
function peerKey(tenant: string, peerId: string): string {
  return `${tenant} ${peerId.trim().toLowerCase()}`
}

/** Map insert that keeps the most recent `PEER_MAP_LIMIT` keys, dropping the least recently set. */
function rememberBounded<V>(map: Map<string, V>, key: string, value: V): void {
  map.delete(key)
  map.set(key, value)
  if (map.size > PEER_MAP_LIMIT) {
    const oldest = map.keys().next().value
    if (oldest !== undefined) map.delete(oldest)
  }
}

/**
 * All workspaces of one bridge process. Routes each tool call to the acting workspace's own session and
 * merges their inboxes into one view (oldest first), stamping each message with the workspace it arrived at.
 */
export class WorkspacePool implements WorkspaceDirectory {
  readonly sessions: WorkspaceSession[]
  readonly #byId = new Map<string, WorkspaceSession>()
  /** (tenant, peer id) → the served workspace on that tenant the peer last talked to or was listed by. */
  readonly #peerWorkspace = new Map<string, string>()
  readonly #arrival = new Map<string, string>()
  readonly #listeners = new Set<(message: InboxMessage) => void>()
  /** (tenant, peer id) → what discovery on that tenant said about the peer. */
  readonly #peerInfo = new Map<string, PeerInfo>()
  #userReplyWorkspace: string | undefined

  constructor(
    readonly config: BridgeConfig,
    logger: Logger,
    options: { fetch?: typeof fetch } = {},
  ) {
    // The loops of all workspaces on one platform wake together; they take turns instead of all calling at once.
    const turnsByTenant = new Map<string, LoopTurns>()
    const turnsOf = (platformUrl: string): LoopTurns => {
      const tenant = tenantOf(platformUrl)
      let turns = turnsByTenant.get(tenant)
      if (turns === undefined) {
        turns = { polls: new Turns(), heartbeats: new Turns() }
        turnsByTenant.set(tenant, turns)
      }
      return turns
    }
    this.sessions = config.workspaces.map(
      (entry) =>
        new WorkspaceSession({
          entry,
          config,
          logger,
          onMessage: (message, session) => this.#received(message, session),
          turns: turnsOf(entry.platformUrl),
          ...(options.fetch ? { fetch: options.fetch } : {}),
        }),
    )
    for (const session of this.sessions) this.#byId.set(session.id, session)
  }

  get primary(): WorkspaceSession {
    const first = this.sessions[0]
    if (!first) throw new Error('no workspaces configured')
    return first
  }

  get multi(): boolean {
    return this.config.mode === 'multi'
  }

  async start(): Promise<void> {
    await Promise.all(this.sessions.map((s) => s.start()))
  }

  async stop(): Promise<void> {
    await Promise.all(this.sessions.map((s) => s.stop()))
  }

  // ── WorkspaceDirectory ───────────────────────────────────────────────────────────────────────────────────

  ids(): string[] {
    return this.sessions.map((s) => s.id)
  }

  clientFor(workspaceId: string): PlatformClient | undefined {
    return this.#byId.get(workspaceId)?.client
  }

  problemWith(workspaceId: string): string | undefined {
    return this.#byId.get(workspaceId)?.problem
  }

  /** Records the peer under the tenant (platform URL) of `workspaceId`; a peer on another tenant is another peer. */
  rememberPeer(peerId: string, workspaceId: string): void {
    const session = this.#byId.get(workspaceId)
    if (!session) return
    rememberBounded(this.#peerWorkspace, peerKey(this.#tenant(session), peerId), workspaceId)
  }

  /** One route per tenant the peer id is known on, in the order the workspaces are served. */
  peerRoutes(peerId: string): PeerRoute[] {
    const routes: PeerRoute[] = []
    const tenants = new Set<string>()
    for (const session of this.sessions) {
      const tenant = this.#tenant(session)
      if (tenants.has(tenant)) continue
      tenants.add(tenant)
      const workspaceId = this.#peerWorkspace.get(peerKey(tenant, peerId))
      const route = workspaceId ? this.#byId.get(workspaceId) : undefined
      if (route) routes.push({ workspaceId: route.id, platformUrl: route.client.platformUrl })
    }
    return routes
  }

  userReplyWorkspace(): string | undefined {
    return this.#userReplyWorkspace
  }

  #tenant(session: WorkspaceSession): string {
    return tenantOf(session.client.platformUrl)
  }

  // ── inbox ────────────────────────────────────────────────────────────────────────────────────────────────

  get inboxEnabled(): boolean {
    return !this.config.disableInbox
  }

  #received(message: InboxMessage, session: WorkspaceSession): void {
    this.#arrival.set(message.activity_id, session.id)
    // A peer that wrote to workspace B gets its reply from B, not from the primary.
    if (message.peer_id) {
      this.rememberPeer(message.peer_id, session.id)
      if (!message.peer_name) this.#enrich(message.peer_id, session)
    }
    const presented = this.#present(message, session.id)
    for (const listener of this.#listeners) listener(presented)
  }

  #present(message: InboxMessage, arrival: string): InboxMessage {
    let enriched = message
    if (message.peer_id && !message.peer_name) {
      const session = this.#byId.get(arrival)
      const name = session && this.#peerInfo.get(peerKey(this.#tenant(session), message.peer_id))?.name
      const base = session?.client.platformUrl
      enriched = { ...message }
      if (name) enriched.peer_name = name
      // The card URL is on the tenant the message arrived at, not the primary's.
      if (base && !message.agent_card_url)
        enriched.agent_card_url = `${base}/registry/discover/${message.peer_id}`
    }
    return presentMessage(enriched, this.multi ? arrival : undefined)
  }

  /**
   * Looks the sender up as the workspace it wrote to (its token, its tenant), in the background: delivery never
   * waits for it. Failures are cached too, so a peer we may not discover is not asked for again and again.
   */
  #enrich(peerId: string, session: WorkspaceSession): void {
    const key = peerKey(this.#tenant(session), peerId)
    const cached = this.#peerInfo.get(key)
    if (cached && Date.now() - cached.at < PEER_INFO_TTL_MS) return
    rememberBounded(this.#peerInfo, key, { at: Date.now() })
    session.client.discover(peerId, { retry: false }).then(
      (found) => {
        if (typeof found.name === 'string' && found.name)
          this.#peerInfo.set(key, { name: found.name, at: Date.now() })
      },
      () => {},
    )
  }

  /** Unacknowledged messages of every workspace, oldest first. */
  pending(): InboxMessage[] {
    const all: InboxMessage[] = []
    for (const session of this.sessions) {
      for (const message of session.poller?.pending() ?? []) all.push(this.#present(message, session.id))
    }
    return all.sort((a, b) => (a.created_at ?? '').localeCompare(b.created_at ?? ''))
  }

  /** Messages handed to the agent: a user message sets where `send_message_to_user` replies by default. */
  surfaced(messages: InboxMessage[]): InboxMessage[] {
    const user = messages.find((m) => m.kind === 'canvas_user')
    if (user) this.#userReplyWorkspace = this.#arrival.get(user.activity_id)
    return messages
  }

  /**
   * Waits (at most `timeoutMs`) until every workspace has polled its inbox once since start, so a listing made right
   * after the bridge started includes what was already queued.
   */
  async inboxReady(timeoutMs: number): Promise<void> {
    let timer: NodeJS.Timeout | undefined
    await Promise.race([
      Promise.all(this.sessions.map((s) => s.inboxReady())),
      new Promise<void>((resolve) => {
        timer = setTimeout(resolve, timeoutMs)
      }),
    ])
    clearTimeout(timer)
  }

  async waitForMessage(timeoutMs: number, signal?: AbortSignal): Promise<InboxMessage | undefined> {
    const head = this.pending()[0]
    if (head || timeoutMs <= 0) return head
    return new Promise((resolve) => {
      const finish = () => {
        clearTimeout(timer)
        this.#listeners.delete(onMessage)
        signal?.removeEventListener('abort', finish)
        resolve(this.pending()[0])
      }
      const onMessage = () => finish()
      const timer = setTimeout(finish, timeoutMs)
      this.#listeners.add(onMessage)
      signal?.addEventListener('abort', finish, { once: true })
    })
  }

  /** Acknowledges one message: only now may its workspace's durable cursor move past it. */
  async pop(activityId: string): Promise<boolean> {
    const owner = this.#arrival.get(activityId)
    const sessions = owner ? [this.#byId.get(owner)] : this.sessions
    for (const session of sessions) {
      if (await session?.poller?.ack(activityId)) {
        this.#arrival.delete(activityId)
        return true
      }
    }
    return false
  }

  onMessage(listener: (message: InboxMessage) => void): () => void {
    this.#listeners.add(listener)
    return () => this.#listeners.delete(listener)
  }
}
