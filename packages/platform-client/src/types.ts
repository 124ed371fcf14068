// Request shapes. Registry bodies (register, heartbeat) are the exact wire objects (snake_case; the client fills in
// the workspace id); the other calls take camelCase inputs that the endpoint declarations map to the wire.
// docs/platform-contract.md lists the endpoints and their fields.

/** The agent card registered with the platform (stored verbatim; extra keys allowed). */
export interface AgentCard {
  name: string
  description?: string
  version?: string
  url?: string
  skills?: Array<{ id?: string; name: string; description?: string; tags?: string[]; [k: string]: unknown }>
  capabilities?: Record<string, unknown>
  [key: string]: unknown
}

/** `POST /registry/register` body without `id` (the client adds its workspace id). */
export interface RegisterBody {
  /** Where the platform reaches this workspace; may be empty in poll delivery mode. */
  url: string
  agent_card: AgentCard
  delivery_mode?: 'push' | 'poll'
  kind?: string
  mcp_server_present?: boolean
  [key: string]: unknown
}

export interface RuntimeCapabilitiesFlags {
  heartbeat: boolean
  scheduler: boolean
  session: boolean
  status_mgmt: boolean
  retry: boolean
  activity_decoration: boolean
  channel_dispatch: boolean
}

export interface RuntimeMetadata {
  capabilities: Partial<RuntimeCapabilitiesFlags> & Record<string, boolean>
  /** Only sent when > 0: overrides the platform's A2A idle timeout for this workspace. */
  idle_timeout_seconds?: number
}

/** `POST /registry/heartbeat` body without `workspace_id` (the client adds it); every field is optional. */
export interface HeartbeatBody {
  error_rate?: number
  sample_error?: string
  active_tasks?: number
  uptime_seconds?: number
  current_task?: string
  /** USD cents; 0 means "no update". */
  monthly_spend?: number
  /** Only `"wedged"` is meaningful to the platform (flips the workspace to degraded). */
  runtime_state?: '' | 'wedged'
  runtime_metadata?: RuntimeMetadata
  agent_card?: AgentCard
  mcp_server_present?: boolean
  [key: string]: unknown
}

export interface DelegateInput {
  targetId: string
  task: string
  /** Defaults to the first 32 hex chars of sha256(`target:task`), as existing clients do. */
  idempotencyKey?: string
}

export interface RecordDelegationInput {
  targetId: string
  task: string
  delegationId: string
}

export interface UpdateDelegationInput {
  /** The platform accepts only these two (`queued` is rejected with 400). */
  status: 'completed' | 'failed'
  error?: string
  responsePreview?: string
}

export interface NotifyAttachment {
  uri: string
  name: string
  mimeType?: string
  size?: number
}

export interface NotifyInput {
  message: string
  attachments?: NotifyAttachment[]
}

export interface UploadFile {
  name: string
  data: Uint8Array | Blob | string
  mimeType?: string
}

export type ActivityType =
  | 'a2a_send'
  | 'a2a_receive'
  | 'task_update'
  | 'agent_log'
  | 'skill_promotion'
  | 'memory_write'
  | 'error'

export interface ReportActivityInput {
  activityType: ActivityType
  method?: string
  summary?: string
  targetId?: string
  status?: string
  errorDetail?: string
  durationMs?: number
  requestBody?: unknown
  responseBody?: unknown
  metadata?: unknown
}

export interface ListActivityQuery {
  type?: string
  /** Cursor (newer platforms only): rows strictly newer than this id, oldest first; 410 when unknown. */
  sinceId?: string
  /** Window in seconds when there is no cursor; rows newest first. */
  sinceSecs?: number
  source?: 'canvas' | 'agent'
  peerId?: string
  /** RFC 3339: only rows strictly older (newer platforms only). */
  beforeTs?: string
  limit?: number
  /** `peer_info`: newer platforms add `peer_name`, `peer_role`, `agent_card_url`, `attachments` (others ignore it). */
  include?: string
}

export type MemoryScope = 'LOCAL' | 'TEAM' | 'GLOBAL'

export interface CommitMemoryInput {
  content: string
  scope: MemoryScope
  namespace?: string
}

export interface SearchMemoriesQuery {
  scope?: MemoryScope
  q?: string
  namespace?: string
  limit?: number
}

export interface RequestApprovalInput {
  action: string
  reason?: string
  taskId?: string
  context?: unknown
}

export interface SaveCheckpointInput {
  workflowId: string
  stepName: string
  stepIndex?: number
  payload?: unknown
}

/** Per-call options accepted by every client method. */
export interface CallOptions {
  signal?: AbortSignal
  /** Overrides the client's per-attempt timeout. */
  timeoutMs?: number
  /** `false` disables retries of an idempotent call (e.g. when an outer loop owns the backoff). */
  retry?: boolean
}

export interface RawRequestOptions extends CallOptions {
  query?: Record<string, string | number | undefined>
  json?: unknown
  /** Retry on 5xx/429/timeouts like the typed idempotent calls. Default false. */
  idempotent?: boolean
}
