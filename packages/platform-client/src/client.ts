import { createHash } from 'node:crypto'
import { z } from 'zod'
import { DEFAULT_RETRY, type RetryPolicy } from './backoff.js'
import { PlatformError } from './errors.js'
import { type Logger, silentLogger } from './logger.js'
import { PlatformHttp, type RequestSpec } from './platform-http.js'
import {
  A2AQueuedBusySchema,
  A2AQueuedPollSchema,
  type ActivityRow,
  ActivityRowSchema,
  type Approval,
  type ApprovalRequestResponse,
  ApprovalRequestResponseSchema,
  ApprovalSchema,
  type BroadcastResponse,
  BroadcastResponseSchema,
  type Checkpoint,
  CheckpointSchema,
  type DelegateResponse,
  DelegateResponseSchema,
  type DelegationRow,
  DelegationRowSchema,
  type DiscoverResponse,
  DiscoverResponseSchema,
  type HeartbeatResponse,
  HeartbeatResponseSchema,
  type Instructions,
  InstructionsSchema,
  type Memory,
  type MemoryCommitResponse,
  MemoryCommitResponseSchema,
  MemorySchema,
  type Peer,
  PeerSchema,
  type PendingUploadAck,
  PendingUploadAckSchema,
  type RecordDelegationResponse,
  RecordDelegationResponseSchema,
  type RegisterResponse,
  RegisterResponseSchema,
  type SharedContextFile,
  SharedContextFileSchema,
  type StatusResponse,
  StatusResponseSchema,
  type UpdateDelegationResponse,
  UpdateDelegationResponseSchema,
  type UploadResponse,
  UploadResponseSchema,
  type Workspace,
  WorkspaceSchema,
  type WorkspaceState,
  WorkspaceStateSchema,
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
  /** Injected fetch (defaults to the global one). */
  fetch?: typeof fetch
  logger?: Logger
  /** SaaS tenants: sent as `X-Molecule-Org-Id`. */
  orgId?: string
  /** SaaS tenants behind an edge WAF: sent as `Origin` (usually the platform URL itself). */
  origin?: string
  /** Extra headers on every call (never put the token here). */
  headers?: Record<string, string>
  /** Jitter source, for deterministic tests. */
  random?: () => number
}

/** Outcome of `POST /workspaces/:id/a2a` (platform-api §2.4, Appendix E). */
export type A2AResult =
  | { kind: 'reply'; status: number; body: unknown }
  | { kind: 'queued-busy'; status: 202; queueId: string; queueDepth: number | undefined; body: unknown }
  | { kind: 'queued-poll'; status: number; method: string | undefined; body: unknown }

/** First 32 hex chars of sha256(`target:task`): the delegation idempotency key existing clients send. */
/** Per-file cap of chat uploads (platform-api §1): the default limit of `fetchPendingUpload`. */
export const PENDING_UPLOAD_MAX_BYTES = 25 * 1024 * 1024

/** The bytes of a pending (poll-mode) chat upload with what the platform said about them. */
export interface PendingUploadContent {
  bytes: Uint8Array<ArrayBuffer>
  /** `Content-Type` without parameters; `application/octet-stream` when absent. */
  mimeType: string
  /** The `Content-Disposition` filename, when sent (already sanitised by the platform). */
  filename?: string
}

export function delegationIdempotencyKey(targetId: string, task: string): string {
  return createHash('sha256').update(`${targetId}:${task}`).digest('hex').slice(0, 32)
}

const enc = encodeURIComponent

/**
 * Typed client of the Molecule platform HTTP API for one workspace. Every call carries
 * `Authorization: Bearer <token>` (when a token is known) and `X-Workspace-ID`; idempotent calls are retried
 * with backoff; failures are {@link PlatformError}s.
 */
export class PlatformClient {
  readonly workspaceId: string
  readonly platformUrl: string
  private readonly tokens: TokenSource
  private readonly http: PlatformHttp
  private readonly logger: Logger

  constructor(options: PlatformClientOptions) {
    if (!options.platformUrl)
      throw new TypeError('PlatformClient: platformUrl is required (e.g. PLATFORM_URL)')
    if (!options.workspaceId)
      throw new TypeError('PlatformClient: workspaceId is required (e.g. WORKSPACE_ID)')
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
      fetch: options.fetch ?? globalThis.fetch.bind(globalThis),
      logger: this.logger,
      headers,
      ...(options.random ? { random: options.random } : {}),
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

  private async call<T>(spec: RequestSpec<T>, opts?: CallOptions): Promise<T> {
    const merged: RequestSpec<T> = { ...spec }
    if (opts?.signal) merged.signal = opts.signal
    if (opts?.timeoutMs !== undefined) merged.timeoutMs = opts.timeoutMs
    if (opts?.retry !== undefined) merged.retry = opts.retry
    return (await this.http.request(merged)).data
  }

  private ws(suffix = ''): string {
    return `/workspaces/${enc(this.workspaceId)}${suffix}`
  }

  /**
   * Escape hatch for endpoints without a typed method: same headers, timeout, 401 re-read and (when
   * `idempotent`) retries as the typed calls. Every status is returned, none thrown; transport failures throw.
   */
  async rawRequest(
    method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
    path: string,
    options: RawRequestOptions = {},
  ): Promise<{ status: number; body: unknown }> {
    const spec: RequestSpec<unknown> = {
      method,
      path,
      schema: z.unknown(),
      idempotent: options.idempotent ?? false,
      acceptAnyStatus: true,
    }
    if (options.query) spec.query = options.query
    if (options.json !== undefined) spec.json = options.json
    if (options.signal) spec.signal = options.signal
    if (options.timeoutMs !== undefined) spec.timeoutMs = options.timeoutMs
    if (options.retry !== undefined) spec.retry = options.retry
    const res = await this.http.request(spec)
    return { status: res.status, body: res.data }
  }

  // ── registry ────────────────────────────────────────────────────────────────────────────────────────────────

  /**
   * `POST /registry/register`. A minted `auth_token` in the response is adopted (and persisted by a `TokenStore`)
   * before this resolves. Idempotent: retried.
   */
  async register(body: RegisterBody, opts?: CallOptions): Promise<RegisterResponse> {
    const res = await this.call(
      {
        method: 'POST',
        path: '/registry/register',
        json: { ...body, id: this.workspaceId },
        schema: RegisterResponseSchema,
        idempotent: true,
      },
      opts,
    )
    if (res.auth_token) {
      this.logger.info({ tokenPrefix: res.auth_token.slice(0, 8) }, 'platform minted a workspace token')
      try {
        await this.tokens.write(res.auth_token)
      } catch (err) {
        // The platform shows a minted token only once: keep it in memory and stay registered rather than fail.
        this.logger.error(
          { err: (err as Error).message },
          'could not persist the minted token; it is kept in memory only and will be lost on restart',
        )
      }
    }
    return res
  }

  /** `POST /registry/heartbeat`. Idempotent: retried. */
  heartbeat(body: HeartbeatBody = {}, opts?: CallOptions): Promise<HeartbeatResponse> {
    return this.call(
      {
        method: 'POST',
        path: '/registry/heartbeat',
        json: { ...body, workspace_id: this.workspaceId },
        schema: HeartbeatResponseSchema,
        idempotent: true,
      },
      opts,
    )
  }

  /** `POST /registry/update-card` — replaces the stored agent card (status untouched). Idempotent: retried. */
  updateCard(card: AgentCard, opts?: CallOptions): Promise<StatusResponse> {
    return this.call(
      {
        method: 'POST',
        path: '/registry/update-card',
        json: { workspace_id: this.workspaceId, agent_card: card },
        schema: StatusResponseSchema,
        idempotent: true,
      },
      opts,
    )
  }

  /** `GET /registry/discover/:targetId` — URL of a peer this workspace may talk to (403 when not allowed). */
  discover(targetId: string, opts?: CallOptions): Promise<DiscoverResponse> {
    return this.call(
      {
        method: 'GET',
        path: `/registry/discover/${enc(targetId)}`,
        schema: DiscoverResponseSchema,
        idempotent: true,
      },
      opts,
    )
  }

  /** `GET /registry/:id/peers` — siblings, children and parent. */
  listPeers(query: { q?: string } = {}, opts?: CallOptions): Promise<Peer[]> {
    return this.call(
      {
        method: 'GET',
        path: `/registry/${enc(this.workspaceId)}/peers`,
        query: { q: query.q },
        schema: z
          .array(PeerSchema)
          .nullable()
          .transform((v) => v ?? []),
        idempotent: true,
      },
      opts,
    )
  }

  // ── workspaces ──────────────────────────────────────────────────────────────────────────────────────────────

  /** `GET /workspaces/:id` (own workspace by default). */
  getWorkspace(id: string = this.workspaceId, opts?: CallOptions): Promise<Workspace> {
    return this.call(
      { method: 'GET', path: `/workspaces/${enc(id)}`, schema: WorkspaceSchema, idempotent: true },
      opts,
    )
  }

  /**
   * `GET /workspaces/:id/state` — the remote-agent shutdown signal: `deleted: true` (a 404, returned rather than
   * thrown) or `paused: true` mean this agent should stop.
   */
  async getState(opts?: CallOptions): Promise<WorkspaceState & { httpStatus: number }> {
    const res = await this.http.request({
      method: 'GET',
      path: this.ws('/state'),
      schema: WorkspaceStateSchema,
      idempotent: true,
      acceptStatuses: [404],
      ...(opts?.signal ? { signal: opts.signal } : {}),
      ...(opts?.timeoutMs !== undefined ? { timeoutMs: opts.timeoutMs } : {}),
      ...(opts?.retry !== undefined ? { retry: opts.retry } : {}),
    })
    return { ...res.data, httpStatus: res.status }
  }

  /**
   * `POST /workspaces/:targetId/a2a` — a JSON-RPC body through the platform proxy, as this workspace
   * (`X-Workspace-ID`). Not retried (a retry could deliver twice). Non-2xx answers throw `PlatformError`
   * (`status` 402/403/404/502/503…, `retryAfterMs` when the target is busy).
   */
  async sendA2A(targetId: string, jsonRpcBody: unknown, opts?: CallOptions): Promise<A2AResult> {
    const spec: RequestSpec<unknown> = {
      method: 'POST',
      path: `/workspaces/${enc(targetId)}/a2a`,
      json: jsonRpcBody,
      schema: z.unknown(),
      idempotent: false,
      // Newer platforms and bridges also read the caller from this header (platform-api §5.2).
      headers: { 'X-Source-Workspace-Id': this.workspaceId },
    }
    if (opts?.timeoutMs !== undefined) {
      spec.timeoutMs = opts.timeoutMs
      spec.headers = { ...spec.headers, 'X-Timeout': String(Math.max(1, Math.ceil(opts.timeoutMs / 1000))) }
    }
    if (opts?.signal) spec.signal = opts.signal
    const res = await this.http.request(spec)
    const busy = res.status === 202 ? A2AQueuedBusySchema.safeParse(res.data) : undefined
    if (busy?.success) {
      return {
        kind: 'queued-busy',
        status: 202,
        queueId: busy.data.queue_id,
        queueDepth: busy.data.queue_depth ?? undefined,
        body: res.data,
      }
    }
    const poll = A2AQueuedPollSchema.safeParse(res.data)
    if (poll.success) {
      return {
        kind: 'queued-poll',
        status: res.status,
        method: poll.data.method ?? undefined,
        body: res.data,
      }
    }
    return { kind: 'reply', status: res.status, body: res.data }
  }

  // ── delegation ──────────────────────────────────────────────────────────────────────────────────────────────

  /** `POST /workspaces/:id/delegate` — platform-managed async delegation (202; 200 on an idempotent hit). */
  delegate(input: DelegateInput, opts?: CallOptions): Promise<DelegateResponse> {
    return this.call(
      {
        method: 'POST',
        path: this.ws('/delegate'),
        json: {
          target_id: input.targetId,
          task: input.task,
          idempotency_key: input.idempotencyKey ?? delegationIdempotencyKey(input.targetId, input.task),
        },
        schema: DelegateResponseSchema,
        idempotent: false,
      },
      opts,
    )
  }

  /** `GET /workspaces/:id/delegations` — newest first, request and result rows of each delegation. */
  listDelegations(opts?: CallOptions): Promise<DelegationRow[]> {
    return this.call(
      {
        method: 'GET',
        path: this.ws('/delegations'),
        schema: z
          .array(DelegationRowSchema)
          .nullable()
          .transform((v) => v ?? []),
        idempotent: true,
      },
      opts,
    )
  }

  /** `POST /workspaces/:id/delegations/record` — a delegation the agent sends itself (peer-to-peer). */
  recordDelegation(input: RecordDelegationInput, opts?: CallOptions): Promise<RecordDelegationResponse> {
    return this.call(
      {
        method: 'POST',
        path: this.ws('/delegations/record'),
        json: { target_id: input.targetId, task: input.task, delegation_id: input.delegationId },
        schema: RecordDelegationResponseSchema,
        idempotent: false,
      },
      opts,
    )
  }

  /** `POST /workspaces/:id/delegations/:delegationId/update` — only `completed` / `failed`. */
  updateDelegation(
    delegationId: string,
    input: UpdateDelegationInput,
    opts?: CallOptions,
  ): Promise<UpdateDelegationResponse> {
    return this.call(
      {
        method: 'POST',
        path: this.ws(`/delegations/${enc(delegationId)}/update`),
        json: {
          status: input.status,
          ...(input.error !== undefined ? { error: input.error } : {}),
          ...(input.responsePreview !== undefined ? { response_preview: input.responsePreview } : {}),
        },
        schema: UpdateDelegationResponseSchema,
        idempotent: false,
      },
      opts,
    )
  }

  // ── messaging ───────────────────────────────────────────────────────────────────────────────────────────────

  /** `POST /workspaces/:id/notify` — a chat message to the human. */
  notify(input: NotifyInput, opts?: CallOptions): Promise<StatusResponse> {
    return this.call(
      {
        method: 'POST',
        path: this.ws('/notify'),
        json: {
          message: input.message,
          ...(input.attachments?.length ? { attachments: input.attachments } : {}),
        },
        schema: StatusResponseSchema,
        idempotent: false,
      },
      opts,
    )
  }

  /**
   * `POST /workspaces/:id/broadcast` — one message to every other workspace of the organisation. Needs
   * `broadcast_enabled` on the workspace: otherwise a 403 `PlatformError` whose `serverHint` says how to enable it.
   * Not retried (a retry could deliver twice).
   */
  broadcast(input: { message: string }, opts?: CallOptions): Promise<BroadcastResponse> {
    return this.call(
      {
        method: 'POST',
        path: this.ws('/broadcast'),
        json: { message: input.message },
        schema: BroadcastResponseSchema,
        idempotent: false,
      },
      opts,
    )
  }

  /** `POST /workspaces/:id/chat/uploads` — multipart, one `files` part per file; returns `workspace:` URIs. */
  uploadChatFiles(files: UploadFile[], opts?: CallOptions): Promise<UploadResponse> {
    const form = new FormData()
    for (const file of files) {
      const blob =
        file.data instanceof Blob
          ? file.data
          : new Blob([file.data], file.mimeType ? { type: file.mimeType } : {})
      form.append('files', blob, file.name)
    }
    return this.call(
      {
        method: 'POST',
        path: this.ws('/chat/uploads'),
        form,
        schema: UploadResponseSchema,
        idempotent: false,
      },
      opts,
    )
  }

  /**
   * `GET /workspaces/:id/pending-uploads/:fileId/content` — the bytes of a poll-mode chat upload (named by a
   * `chat_upload_receive` row). At most `maxBytes` (default and platform cap 25 MB) are read; more is refused
   * with `PLATFORM_BAD_RESPONSE`. 404 = unknown, already acknowledged, or another workspace's file. Retried.
   */
  async fetchPendingUpload(
    fileId: string,
    opts?: CallOptions & { maxBytes?: number },
  ): Promise<PendingUploadContent> {
    const spec: RequestSpec<Uint8Array<ArrayBuffer>> = {
      method: 'GET',
      path: this.ws(`/pending-uploads/${enc(fileId)}/content`),
      schema: null,
      idempotent: true,
      headers: { accept: '*/*' },
      binary: { maxBytes: opts?.maxBytes ?? PENDING_UPLOAD_MAX_BYTES },
    }
    if (opts?.signal) spec.signal = opts.signal
    if (opts?.timeoutMs !== undefined) spec.timeoutMs = opts.timeoutMs
    if (opts?.retry !== undefined) spec.retry = opts.retry
    const res = await this.http.request(spec)
    const content: PendingUploadContent = {
      bytes: res.data,
      mimeType: res.headers.get('content-type')?.split(';')[0]?.trim() || 'application/octet-stream',
    }
    const name = res.headers.get('content-disposition')?.match(/filename="([^"]*)"/)?.[1]
    if (name) content.filename = name
    return content
  }

  /** `POST /workspaces/:id/pending-uploads/:fileId/ack` — releases a fetched upload on the platform. Not retried. */
  ackPendingUpload(fileId: string, opts?: CallOptions): Promise<PendingUploadAck> {
    return this.call(
      {
        method: 'POST',
        path: this.ws(`/pending-uploads/${enc(fileId)}/ack`),
        schema: PendingUploadAckSchema,
        idempotent: false,
      },
      opts,
    )
  }

  // ── activity ────────────────────────────────────────────────────────────────────────────────────────────────

  /** `POST /workspaces/:id/activity` — `source_id` is always this workspace. */
  reportActivity(input: ReportActivityInput, opts?: CallOptions): Promise<StatusResponse> {
    const json: Record<string, unknown> = { activity_type: input.activityType, source_id: this.workspaceId }
    if (input.method !== undefined) json.method = input.method
    if (input.summary !== undefined) json.summary = input.summary
    if (input.targetId !== undefined) json.target_id = input.targetId
    if (input.status !== undefined) json.status = input.status
    if (input.errorDetail !== undefined) json.error_detail = input.errorDetail
    if (input.durationMs !== undefined) json.duration_ms = input.durationMs
    if (input.requestBody !== undefined) json.request_body = input.requestBody
    if (input.responseBody !== undefined) json.response_body = input.responseBody
    if (input.metadata !== undefined) json.metadata = input.metadata
    return this.call(
      { method: 'POST', path: this.ws('/activity'), json, schema: StatusResponseSchema, idempotent: false },
      opts,
    )
  }

  /**
   * `GET /workspaces/:id/activity`. With `sinceId` rows come oldest first; without it newest first.
   * An unknown cursor throws `PlatformError` with `status` 410.
   */
  listActivity(query: ListActivityQuery = {}, opts?: CallOptions): Promise<ActivityRow[]> {
    return this.call(
      {
        method: 'GET',
        path: this.ws('/activity'),
        query: {
          type: query.type,
          since_id: query.sinceId,
          since_secs: query.sinceSecs,
          source: query.source,
          peer_id: query.peerId,
          before_ts: query.beforeTs,
          limit: query.limit,
          include: query.include,
        },
        schema: z
          .array(ActivityRowSchema)
          .nullable()
          .transform((v) => v ?? []),
        idempotent: true,
      },
      opts,
    )
  }

  // ── memory ──────────────────────────────────────────────────────────────────────────────────────────────────

  /** `POST /workspaces/:id/memories` (201). GLOBAL is refused by the platform for non-root workspaces (403). */
  commitMemory(input: CommitMemoryInput, opts?: CallOptions): Promise<MemoryCommitResponse> {
    return this.call(
      {
        method: 'POST',
        path: this.ws('/memories'),
        json: {
          content: input.content,
          scope: input.scope,
          ...(input.namespace ? { namespace: input.namespace } : {}),
        },
        schema: MemoryCommitResponseSchema,
        idempotent: false,
      },
      opts,
    )
  }

  /** `GET /workspaces/:id/memories?scope=&q=&namespace=&limit=`. */
  searchMemories(query: SearchMemoriesQuery = {}, opts?: CallOptions): Promise<Memory[]> {
    return this.call(
      {
        method: 'GET',
        path: this.ws('/memories'),
        query: { scope: query.scope, q: query.q, namespace: query.namespace, limit: query.limit },
        schema: z
          .array(MemorySchema)
          .nullable()
          .transform((v) => v ?? []),
        idempotent: true,
      },
      opts,
    )
  }

  /** `DELETE /workspaces/:id/memories/:memoryId` (404 when missing or not owned). */
  deleteMemory(memoryId: string, opts?: CallOptions): Promise<StatusResponse> {
    return this.call(
      {
        method: 'DELETE',
        path: this.ws(`/memories/${enc(memoryId)}`),
        schema: StatusResponseSchema,
        idempotent: false,
      },
      opts,
    )
  }

  // ── approvals ───────────────────────────────────────────────────────────────────────────────────────────────

  /** `POST /workspaces/:id/approvals` (201 `{approval_id, status: "pending"}`). */
  requestApproval(input: RequestApprovalInput, opts?: CallOptions): Promise<ApprovalRequestResponse> {
    const json: Record<string, unknown> = { action: input.action }
    if (input.reason !== undefined) json.reason = input.reason
    if (input.taskId !== undefined) json.task_id = input.taskId
    if (input.context !== undefined) json.context = input.context
    return this.call(
      {
        method: 'POST',
        path: this.ws('/approvals'),
        json,
        schema: ApprovalRequestResponseSchema,
        idempotent: false,
      },
      opts,
    )
  }

  /** `GET /workspaces/:id/approvals` — newest 50. */
  listApprovals(opts?: CallOptions): Promise<Approval[]> {
    return this.call(
      {
        method: 'GET',
        path: this.ws('/approvals'),
        schema: z
          .array(ApprovalSchema)
          .nullable()
          .transform((v) => v ?? []),
        idempotent: true,
      },
      opts,
    )
  }

  // ── boot-time context ───────────────────────────────────────────────────────────────────────────────────────

  /** `GET /workspaces/:id/instructions/resolve` — operator rules as markdown (empty string when none). */
  resolveInstructions(opts?: CallOptions): Promise<Instructions> {
    return this.call(
      { method: 'GET', path: this.ws('/instructions/resolve'), schema: InstructionsSchema, idempotent: true },
      opts,
    )
  }

  /** `GET /workspaces/:parentId/shared-context` — files the parent shares with its team. */
  getSharedContext(parentId: string, opts?: CallOptions): Promise<SharedContextFile[]> {
    return this.call(
      {
        method: 'GET',
        path: `/workspaces/${enc(parentId)}/shared-context`,
        schema: z
          .array(SharedContextFileSchema)
          .nullable()
          .transform((v) => v ?? []),
        idempotent: true,
      },
      opts,
    )
  }

  // ── checkpoints ─────────────────────────────────────────────────────────────────────────────────────────────

  /** `POST /workspaces/:id/checkpoints` — upsert of one workflow step. */
  saveCheckpoint(input: SaveCheckpointInput, opts?: CallOptions): Promise<Record<string, unknown>> {
    return this.call(
      {
        method: 'POST',
        path: this.ws('/checkpoints'),
        json: {
          workflow_id: input.workflowId,
          step_name: input.stepName,
          ...(input.stepIndex !== undefined ? { step_index: input.stepIndex } : {}),
          ...(input.payload !== undefined ? { payload: input.payload } : {}),
        },
        schema: z.record(z.string(), z.unknown()),
        idempotent: true,
      },
      opts,
    )
  }

  /** `GET /workspaces/:id/checkpoints/latest` — `null` when there is none (404). */
  async latestCheckpoint(opts?: CallOptions): Promise<Checkpoint | null> {
    const res = await this.http.request({
      method: 'GET',
      path: this.ws('/checkpoints/latest'),
      schema: z.unknown(),
      idempotent: true,
      acceptStatuses: [404],
      ...(opts?.signal ? { signal: opts.signal } : {}),
      ...(opts?.timeoutMs !== undefined ? { timeoutMs: opts.timeoutMs } : {}),
    })
    if (res.status === 404) return null
    const parsed = CheckpointSchema.safeParse(res.data)
    if (!parsed.success) {
      throw new PlatformError({
        code: 'PLATFORM_BAD_RESPONSE',
        endpoint: `GET ${this.ws('/checkpoints/latest')}`,
        status: res.status,
        message: `GET ${this.ws('/checkpoints/latest')}: unexpected response shape`,
        cause: parsed.error,
      })
    }
    return parsed.data
  }
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
