import { ActivityLog, type ActivityRow, type NewActivityRow } from './activity-log.js'
import { EventBus } from './event-bus.js'
import { StateChanges } from './state-changes.js'
import { TokenStore } from './token-store.js'
import { buildWorkspace, type NewWorkspace, type Workspace, type WorkspaceStatus } from './workspace.js'

export interface MemoryRecord {
  id: string
  workspace_id: string
  content: string
  scope: 'LOCAL' | 'TEAM' | 'GLOBAL'
  namespace: string
  created_at: number
}

export interface ApprovalRecord {
  id: string
  workspace_id: string
  task_id: string | null
  action: string
  reason: string | null
  context: unknown
  status: 'pending' | 'approved' | 'denied' | 'escalated'
  decided_by: string | null
  decided_at: number | null
  created_at: number
}

export interface QueueEntry {
  id: string
  workspace_id: string
  caller_id: string | null
  body: Record<string, unknown>
  method: string
  idempotency_key: string | null
  status: 'queued' | 'dispatched' | 'completed' | 'failed'
  attempts: number
  last_error: string | null
  enqueued_at: number
}

export interface CheckpointRecord {
  id: string
  workspace_id: string
  workflow_id: string
  step_name: string
  step_index: number
  payload: unknown
  completed_at: number
}

export interface UploadRecord {
  workspaceId: string
  path: string
  name: string
  mimeType: string
  bytes: Uint8Array<ArrayBuffer>
}

/** A user upload to a poll-mode workspace, held until the workspace fetches and acknowledges it. */
export interface PendingUploadRecord {
  id: string
  workspaceId: string
  name: string
  mimeType: string
  bytes: Uint8Array<ArrayBuffer>
  created_at: number
  acked_at: number | null
}

export interface KvEntry {
  value: unknown
  version: number
  expires_at: number | null
  updated_at: number
}

const STATUS_EVENTS: Partial<Record<WorkspaceStatus, string>> = {
  provisioning: 'WORKSPACE_PROVISIONING',
  awaiting_agent: 'WORKSPACE_AWAITING_AGENT',
  online: 'WORKSPACE_ONLINE',
  degraded: 'WORKSPACE_DEGRADED',
  offline: 'WORKSPACE_OFFLINE',
  failed: 'WORKSPACE_PROVISION_FAILED',
  removed: 'WORKSPACE_REMOVED',
}

/** Everything the dev platform knows, in memory. Routes mutate it; tests read it. */
export class PlatformState {
  readonly workspaces = new Map<string, Workspace>()
  readonly tokens: TokenStore
  readonly events: EventBus
  readonly activity: ActivityLog
  readonly memories: MemoryRecord[] = []
  readonly approvals = new Map<string, ApprovalRecord>()
  readonly queue: QueueEntry[] = []
  readonly checkpoints: CheckpointRecord[] = []
  readonly uploads = new Map<string, UploadRecord>()
  /** Poll-mode uploads by file id (`platform-pending:<workspace>/<file id>`). */
  readonly pendingUploads = new Map<string, PendingUploadRecord>()
  readonly kv = new Map<string, Map<string, KvEntry>>()
  /** Changes no platform event announces (memories, inbox reads), for in-process observers such as the console. */
  readonly changes = new StateChanges()

  constructor(readonly now: () => number) {
    this.tokens = new TokenStore(now)
    this.events = new EventBus(now)
    this.activity = new ActivityLog(now)
  }

  get(id: string): Workspace | undefined {
    return this.workspaces.get(id)
  }

  /** Delegation rows (activity type `delegation`), oldest first. */
  get delegations(): ActivityRow[] {
    return this.activity.rows.filter((row) => row.activity_type === 'delegation')
  }

  add(input: NewWorkspace): Workspace {
    const ws = buildWorkspace(input, this.now())
    this.workspaces.set(ws.id, ws)
    return ws
  }

  /** Appends an activity row and announces it (`ACTIVITY_LOGGED`, broadcast-only) unless `announce` is false. */
  recordActivity(input: NewActivityRow, announce = true): ActivityRow {
    const row = this.activity.append(input)
    if (announce) {
      const payload: Record<string, unknown> = {
        activity_type: row.activity_type,
        method: row.method,
        summary: row.summary,
        status: row.status,
        source_id: row.source_id,
        target_id: row.target_id,
        duration_ms: row.duration_ms,
      }
      if (row.tool_trace !== null) payload.tool_trace = row.tool_trace
      this.events.emit('ACTIVITY_LOGGED', row.workspace_id, payload, false)
    }
    return row
  }

  /** Changes status and emits the matching lifecycle event (nothing when the status is unchanged). */
  setStatus(ws: Workspace, status: WorkspaceStatus, payload: Record<string, unknown> = {}): void {
    if (ws.status === status) return
    ws.status = status
    ws.status_since = this.now()
    ws.updated_at = this.now()
    const event = STATUS_EVENTS[status]
    if (event) this.events.emit(event, ws.id, payload)
  }
}
