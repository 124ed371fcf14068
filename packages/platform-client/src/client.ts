import { z } from 'zod'
import { DEFAULT_RETRY, type RetryPolicy } from './backoff.js'
import { callEndpoint, type Endpoint, endpoint, route } from './endpoint.js'
import * as approvals from './endpoints/approvals.js'
import * as bootContext from './endpoints/boot-context.js'
import * as checkpoints from './endpoints/checkpoints.js'
import * as delegation from './endpoints/delegation.js'
import * as memory from './endpoints/memory.js'
import * as messaging from './endpoints/messaging.js'
import * as registry from './endpoints/registry.js'
import { PlatformClientError } from './errors.js'
import { type PlatformStreamEvent, readEventStream } from './event-stream.js'
import { type Logger, silentLogger } from './logger.js'
import { PlatformHttp } from './platform-http.js'
import type { RequestTracer } from './request-tracer.js'
import type {
  ActivityRow,
  Approval,
  ApprovalRequestResponse,
  BroadcastResponse,
  Checkpoint,
  DelegateResponse,
  DelegationRow,
  DiscoverResponse,
  HeartbeatResponse,
  Instructions,
  Memory,
  MemoryCommitResponse,
  Peer,
  PendingUploadAck,
  RecordDelegationResponse,
  RegisterResponse,
  SharedContextFile,
  StatusResponse,
  UpdateDelegationResponse,
  UploadResponse,
  Workspace,
  WorkspaceState,
} from './schemas.js'
import { MemoryTokenSource, type TokenSource } from './token-store.js'
import type {
  AgentCard,
  CallOptions,
  CommitMemoryInput,
  DelegateInput,
  HeartbeatBody,
  ListActivityQuery,
  NotifyInput,
  RawRequestOptions,
  RecordDelegationInput,
  RegisterBody,
  ReportActivityInput,
  RequestApprovalInput,
  SaveCheckpointInput,
  SearchMemoriesQuery,
  UpdateDelegationInput,
  UploadFile,
} from './types.js'

export { type A2AResult, delegationIdempotencyKey } from './endpoints/delegation.js'
export { PENDING_UPLOAD_MAX_BYTES, type PendingUploadContent } from './endpoints/messaging.js'

export interface PlatformClientOptions {
  /** Base URL of the platform, e.g. `http://127.0.0.1:8080`. */
  platformUrl: string
  /** This workspace's UUID: sent as `X-Workspace-ID` and used in every `/workspaces/:id/...` path. */
  workspaceId: string
  /** A fixed token, or a {@link TokenSource} such as `TokenStore` (re-read once on 401). */
  token?: string | TokenSource
  /** Per-attempt timeout of one HTTP call. Default 10 000 ms. */
  timeoutMs?: number
  /** Retry policy of idempotent calls. Default `{ attempts: 3, baseMs: 200, maxMs: 5000 }`. */
  retry?: Partial<RetryPolicy>
  /** Injected fetch: every request goes through it. Default: node's HTTP client (fetch for uploads and downloads). */
  fetch?: typeof fetch
  /**
   * Default: silent. Pass a logger already bound to the workspace (`log.child({ workspaceId })`): lines of this
   * package and of its loops never add `workspaceId` themselves, so a line carries it exactly once.
   */
  logger?: Logger
  /** SaaS tenants: sent as `X-Molecule-Org-Id`. */
  orgId?: string
  /** SaaS tenants behind an edge WAF: sent as `Origin` (usually the platform URL itself). */
  origin?: string
  /** Extra headers on every call (never put the token here). */
  headers?: Record<string, string>
  /** Jitter source, for deterministic tests. */
  random?: () => number
  /** Trace context for every request (see `RequestTracer`); default none: requests carry no trace headers. */
  tracer?: RequestTracer
}

/**
 * Typed client of the Molecule platform HTTP API for one workspace. Every call carries
 * `Authorization: Bearer <token>` (when a token is known) and `X-Workspace-ID`; idempotent calls are retried
 * with backoff; failures are {@link PlatformError}s. The endpoints themselves are declared in `./endpoints/`.
 */
export class PlatformClient {
  readonly workspaceId: string
  readonly platformUrl: string
  private readonly tokens: TokenSource
  private readonly http: PlatformHttp
  private readonly logger: Logger

  constructor(options: PlatformClientOptions) {
    requireOption(options.platformUrl, 'platformUrl', 'the platform base URL, e.g. from PLATFORM_URL')
    requireOption(options.workspaceId, 'workspaceId', "this workspace's UUID, e.g. from WORKSPACE_ID")
    this.workspaceId = options.workspaceId
    this.platformUrl = options.platformUrl.replace(/\/+$/, '')
    this.logger = options.logger ?? silentLogger
    this.tokens =
      typeof options.token === 'object' && options.token !== null
        ? options.token
        : new MemoryTokenSource(options.token || undefined)
    const headers: Record<string, string> = { ...options.headers }
    if (options.orgId) headers['X-Molecule-Org-Id'] = options.orgId
    if (options.origin) headers.Origin = serializedOrigin(options.origin)
    this.http = new PlatformHttp({
      baseUrl: this.platformUrl,
      workspaceId: this.workspaceId,
      tokens: this.tokens,
      timeoutMs: options.timeoutMs ?? 10_000,
      retry: { ...DEFAULT_RETRY, ...options.retry },
      fetch: options.fetch,
      logger: this.logger,
      headers,
      ...(options.random ? { random: options.random } : {}),
      ...(options.tracer ? { tracer: options.tracer } : {}),
    })
  }

  /** True once a bearer token is known (from the options, the token file, or a register response). */
  hasToken(): boolean {
    return Boolean(this.tokens.read())
  }

  /** The current bearer token. Never log it. */
  getToken(): string | undefined {
    return this.tokens.read()
  }

  /** Adopts a token (persisted when the source is a `TokenStore`). */
  async setToken(token: string): Promise<void> {
    await this.tokens.write(token)
  }

  private call<Body, Result>(declared: Endpoint<Body, Result>, opts?: CallOptions): Promise<Result> {
    return callEndpoint(this.http, declared, opts)
  }

  /**
   * Escape hatch for endpoints without a typed method: same headers, timeout, 401 re-read and (when
   * `idempotent`) retries as the typed calls. Every status is returned, none thrown; transport failures throw.
   */
  rawRequest(
    method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
    path: string,
    options: RawRequestOptions = {},
  ): Promise<{ status: number; body: unknown }> {
    const raw = endpoint(method, path, z.unknown(), {
      idempotent: options.idempotent ?? false,
      acceptAnyStatus: true,
      ...(options.query ? { query: options.query } : {}),
      ...(options.json !== undefined ? { json: options.json } : {}),
    })
    return this.call({ ...raw, read: (res) => ({ status: res.status, body: res.data }) }, options)
  }

  // ── registry ────────────────────────────────────────────────────────────────────────────────────────────────

  /**
   * `POST /registry/register`. A minted `auth_token` in the response is adopted (and persisted by a `TokenStore`)
   * before this resolves. Idempotent: retried.
   */
  async register(body: RegisterBody, opts?: CallOptions): Promise<RegisterResponse> {
    const res = await this.call(registry.register(this.workspaceId, body), opts)
    if (res.auth_token) await this.adoptMintedToken(res.auth_token)
    return res
  }

  private async adoptMintedToken(token: string): Promise<void> {
    try {
      await this.tokens.write(token)
      // No part of the token is logged: a prefix narrows a guess and ties log lines to one credential.
      this.logger.info('platform minted a workspace token; stored')
    } catch (err) {
      // The platform shows a minted token only once: keep it in memory and stay registered rather than fail.
      this.logger.error(
        { err: (err as Error).message },
        'could not persist the minted token; it is kept in memory only and will be lost on restart',
      )
    }
  }

  /** `POST /registry/heartbeat`. Idempotent: retried. */
  heartbeat(body: HeartbeatBody = {}, opts?: CallOptions): Promise<HeartbeatResponse> {
    return this.call(registry.heartbeat(this.workspaceId, body), opts)
  }

  /** `POST /registry/update-card` — replaces the stored agent card (status untouched). Idempotent: retried. */
  updateCard(card: AgentCard, opts?: CallOptions): Promise<StatusResponse> {
    return this.call(registry.updateCard(this.workspaceId, card), opts)
  }

  /** `GET /registry/discover/:targetId` — URL of a peer this workspace may talk to (403 when not allowed). */
  discover(targetId: string, opts?: CallOptions): Promise<DiscoverResponse> {
    return this.call(registry.discover(targetId), opts)
  }

  /** `GET /registry/:id/peers` — siblings, children and parent. */
  listPeers(query: { q?: string } = {}, opts?: CallOptions): Promise<Peer[]> {
    return this.call(registry.listPeers(this.workspaceId, query.q), opts)
  }

  // ── workspaces ──────────────────────────────────────────────────────────────────────────────────────────────

  /** `GET /workspaces/:id` (own workspace by default). */
  getWorkspace(id: string = this.workspaceId, opts?: CallOptions): Promise<Workspace> {
    return this.call(registry.getWorkspace(id), opts)
  }

  /**
   * `GET /workspaces/:id/state` — the remote-agent shutdown signal: `deleted: true` (a 404, returned rather than
   * thrown) or `paused: true` mean this agent should stop.
   */
  getState(opts?: CallOptions): Promise<WorkspaceState & { httpStatus: number }> {
    return this.call(registry.getState(this.workspaceId), opts)
  }

  // ── delegation ──────────────────────────────────────────────────────────────────────────────────────────────

  /**
   * `POST /workspaces/:targetId/a2a` — a JSON-RPC body through the platform proxy, as this workspace
   * (`X-Workspace-ID`). Not retried (a retry could deliver twice). Non-2xx answers throw `PlatformError`
   * (`status` 402/403/404/502/503…, `retryAfterMs` when the target is busy).
   */
  sendA2A(targetId: string, jsonRpcBody: unknown, opts?: CallOptions): Promise<delegation.A2AResult> {
    return this.call(delegation.sendA2A(this.workspaceId, targetId, jsonRpcBody, opts?.timeoutMs), opts)
  }

  /** `POST /workspaces/:id/delegate` — platform-managed async delegation (202; 200 on an idempotent hit). */
  delegate(input: DelegateInput, opts?: CallOptions): Promise<DelegateResponse> {
    return this.call(delegation.delegate(this.workspaceId, input), opts)
  }

  /** `GET /workspaces/:id/delegations` — newest first, request and result rows of each delegation. */
  listDelegations(opts?: CallOptions): Promise<DelegationRow[]> {
    return this.call(delegation.listDelegations(this.workspaceId), opts)
  }

  /** `POST /workspaces/:id/delegations/record` — a delegation the agent sends itself (peer-to-peer). */
  recordDelegation(input: RecordDelegationInput, opts?: CallOptions): Promise<RecordDelegationResponse> {
    return this.call(delegation.recordDelegation(this.workspaceId, input), opts)
  }

  /** `POST /workspaces/:id/delegations/:delegationId/update` — only `completed` / `failed`. */
  updateDelegation(
    delegationId: string,
    input: UpdateDelegationInput,
    opts?: CallOptions,
  ): Promise<UpdateDelegationResponse> {
    return this.call(delegation.updateDelegation(this.workspaceId, delegationId, input), opts)
  }

  // ── messaging ───────────────────────────────────────────────────────────────────────────────────────────────

  /** `POST /workspaces/:id/notify` — a chat message to the human. */
  notify(input: NotifyInput, opts?: CallOptions): Promise<StatusResponse> {
    return this.call(messaging.notify(this.workspaceId, input), opts)
  }

  /**
   * `POST /workspaces/:id/broadcast` — one message to every other workspace of the organisation. Needs
   * `broadcast_enabled` on the workspace: otherwise a 403 `PlatformError` whose `serverHint` says how to enable it.
   * Not retried (a retry could deliver twice).
   */
  broadcast(input: { message: string }, opts?: CallOptions): Promise<BroadcastResponse> {
    return this.call(messaging.broadcast(this.workspaceId, input.message), opts)
  }

  /** `POST /workspaces/:id/chat/uploads` — multipart, one `files` part per file; returns `workspace:` URIs. */
  uploadChatFiles(files: UploadFile[], opts?: CallOptions): Promise<UploadResponse> {
    return this.call(messaging.uploadChatFiles(this.workspaceId, files), opts)
  }

  /**
   * `GET /workspaces/:id/pending-uploads/:fileId/content` — the bytes of a poll-mode chat upload (named by a
   * `chat_upload_receive` row). At most `maxBytes` (default and platform cap 25 MB) are read; more is refused
   * with `PLATFORM_BAD_RESPONSE`. 404 = unknown, already acknowledged, or another workspace's file. Retried.
   */
  fetchPendingUpload(
    fileId: string,
    opts?: CallOptions & { maxBytes?: number },
  ): Promise<messaging.PendingUploadContent> {
    const maxBytes = opts?.maxBytes ?? messaging.PENDING_UPLOAD_MAX_BYTES
    return this.call(messaging.fetchPendingUpload(this.workspaceId, fileId, maxBytes), opts)
  }

  /** `POST /workspaces/:id/pending-uploads/:fileId/ack` — releases a fetched upload on the platform. Not retried. */
  ackPendingUpload(fileId: string, opts?: CallOptions): Promise<PendingUploadAck> {
    return this.call(messaging.ackPendingUpload(this.workspaceId, fileId), opts)
  }

  /** `POST /workspaces/:id/activity` — `source_id` is always this workspace. */
  reportActivity(input: ReportActivityInput, opts?: CallOptions): Promise<StatusResponse> {
    return this.call(messaging.reportActivity(this.workspaceId, input), opts)
  }

  /**
   * `GET /workspaces/:id/activity`. With `sinceId` rows come oldest first; without it newest first.
   * An unknown cursor throws `PlatformError` with `status` 410.
   */
  listActivity(query: ListActivityQuery = {}, opts?: CallOptions): Promise<ActivityRow[]> {
    return this.call(messaging.listActivity(this.workspaceId, query), opts)
  }

  // ── memory ──────────────────────────────────────────────────────────────────────────────────────────────────

  /** `POST /workspaces/:id/memories` (201). GLOBAL is refused by the platform for non-root workspaces (403). */
  commitMemory(input: CommitMemoryInput, opts?: CallOptions): Promise<MemoryCommitResponse> {
    return this.call(memory.commitMemory(this.workspaceId, input), opts)
  }

  /** `GET /workspaces/:id/memories?scope=&q=&namespace=&limit=`. */
  searchMemories(query: SearchMemoriesQuery = {}, opts?: CallOptions): Promise<Memory[]> {
    return this.call(memory.searchMemories(this.workspaceId, query), opts)
  }

  /** `DELETE /workspaces/:id/memories/:memoryId` (404 when missing or not owned). */
  deleteMemory(memoryId: string, opts?: CallOptions): Promise<StatusResponse> {
    return this.call(memory.deleteMemory(this.workspaceId, memoryId), opts)
  }

  // ── approvals ───────────────────────────────────────────────────────────────────────────────────────────────

  /** `POST /workspaces/:id/approvals` (201 `{approval_id, status: "pending"}`). */
  requestApproval(input: RequestApprovalInput, opts?: CallOptions): Promise<ApprovalRequestResponse> {
    return this.call(approvals.requestApproval(this.workspaceId, input), opts)
  }

  /** `GET /workspaces/:id/approvals` — newest 50. */
  listApprovals(opts?: CallOptions): Promise<Approval[]> {
    return this.call(approvals.listApprovals(this.workspaceId), opts)
  }

  /**
   * `GET /workspaces/:id/events/stream` (SSE): this workspace's events as they happen, until `signal` aborts or the
   * platform closes the stream. Opening it throws `PlatformError` like any call (401, 404, unreachable).
   */
  async streamEvents(opts: { signal: AbortSignal }): Promise<AsyncIterable<PlatformStreamEvent>> {
    const path = route('/workspaces/:id/events/stream', { id: this.workspaceId })
    return readEventStream(await this.http.openStream(path, opts.signal), opts.signal)
  }

  // ── boot-time context ───────────────────────────────────────────────────────────────────────────────────────

  /** `GET /workspaces/:id/instructions/resolve` — operator rules as markdown (empty string when none). */
  resolveInstructions(opts?: CallOptions): Promise<Instructions> {
    return this.call(bootContext.resolveInstructions(this.workspaceId), opts)
  }

  /** `GET /workspaces/:parentId/shared-context` — files the parent shares with its team. */
  getSharedContext(parentId: string, opts?: CallOptions): Promise<SharedContextFile[]> {
    return this.call(bootContext.getSharedContext(parentId), opts)
  }

  // ── checkpoints ─────────────────────────────────────────────────────────────────────────────────────────────

  /** `POST /workspaces/:id/checkpoints` — upsert of one workflow step. Idempotent: retried. */
  saveCheckpoint(input: SaveCheckpointInput, opts?: CallOptions): Promise<Record<string, unknown>> {
    return this.call(checkpoints.saveCheckpoint(this.workspaceId, input), opts)
  }

  /** `GET /workspaces/:id/checkpoints/latest` — `null` when there is none (404). */
  latestCheckpoint(opts?: CallOptions): Promise<Checkpoint | null> {
    return this.call(checkpoints.latestCheckpoint(this.workspaceId), opts)
  }
}

function requireOption(value: string | undefined, name: string, what: string): void {
  if (value) return
  throw new PlatformClientError('CLIENT_OPTION_MISSING', `PlatformClient: ${name} is required (${what})`, {
    path: name,
    fix: `Pass ${name} to new PlatformClient({ ... }).`,
  })
}

/**
 * An `Origin` header is a serialized origin (RFC 6454: scheme://host[:non-default port]). A platform URL with a path
 * sent verbatim never equals the request's own origin, so a CORS layer treats it as a foreign site.
 */
function serializedOrigin(value: string): string {
  try {
    const origin = new URL(value).origin
    return origin === 'null' ? value : origin
  } catch {
    return value
  }
}
