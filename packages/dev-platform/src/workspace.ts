import { isoTime } from './ids.js'

export type WorkspaceStatus =
  | 'provisioning'
  | 'awaiting_agent'
  | 'online'
  | 'degraded'
  | 'offline'
  | 'failed'
  | 'removed'
  | 'paused'
  | 'hibernated'

export type DeliveryMode = 'push' | 'poll'

export interface Workspace {
  id: string
  name: string
  role: string | null
  tier: number
  status: WorkspaceStatus
  url: string
  agent_card: unknown
  parent_id: string | null
  runtime: string
  external: boolean
  /** Undefined until chosen: external rows without a URL resolve to poll, everything else to push. */
  delivery_mode: DeliveryMode | undefined
  active_tasks: number
  max_concurrent_tasks: number
  current_task: string
  last_error_rate: number
  last_sample_error: string
  uptime_seconds: number
  monthly_spend: number
  budget_limit: number | null
  workspace_dir: string | null
  capabilities: Record<string, boolean>
  x: number
  y: number
  collapsed: boolean
  /** May `POST /workspaces/:id/broadcast` (off by default, like upstream). */
  broadcast_enabled: boolean
  /** May `POST /workspaces/:id/notify` reach the human (on by default). */
  talk_to_user_enabled: boolean
  last_heartbeat_at: number | null
  last_outbound_at: number | null
  /** Sequence number of the newest inbox row an activity read has returned (the poll inbox's read mark). */
  inbox_read_seq: number
  /** When the status last changed (the provisioning timeout counts from here). */
  status_since: number
  created_at: number
  updated_at: number
  removed_at: number | null
}

export interface NewWorkspace {
  id: string
  name?: string
  role?: string | null
  tier?: number
  status: WorkspaceStatus
  url?: string
  agent_card?: unknown
  parent_id?: string | null
  runtime?: string
  external?: boolean
  delivery_mode?: DeliveryMode
  max_concurrent_tasks?: number
  budget_limit?: number | null
  workspace_dir?: string | null
  x?: number
  y?: number
}

export function buildWorkspace(input: NewWorkspace, now: number): Workspace {
  return {
    id: input.id,
    name: input.name ?? input.id,
    role: input.role ?? null,
    tier: input.tier ?? 3,
    status: input.status,
    url: input.url ?? '',
    agent_card: input.agent_card ?? null,
    parent_id: input.parent_id ?? null,
    runtime: input.runtime ?? (input.external ? 'external' : 'langgraph'),
    external: input.external ?? false,
    delivery_mode: input.delivery_mode,
    active_tasks: 0,
    max_concurrent_tasks: input.max_concurrent_tasks || 1,
    current_task: '',
    last_error_rate: 0,
    last_sample_error: '',
    uptime_seconds: 0,
    monthly_spend: 0,
    budget_limit: input.budget_limit ?? null,
    workspace_dir: input.workspace_dir ?? null,
    capabilities: {},
    x: input.x ?? 0,
    y: input.y ?? 0,
    collapsed: false,
    broadcast_enabled: false,
    talk_to_user_enabled: true,
    last_heartbeat_at: null,
    last_outbound_at: null,
    inbox_read_seq: 0,
    status_since: now,
    created_at: now,
    updated_at: now,
    removed_at: null,
  }
}

export function deliveryModeOf(ws: Workspace): DeliveryMode {
  return ws.delivery_mode ?? (ws.external && !ws.url ? 'poll' : 'push')
}

/** Shape of `GET /workspaces/:id` (open to anyone, so it omits spend, budget, current task and sample error). */
export function describeWorkspace(ws: Workspace): Record<string, unknown> {
  return {
    id: ws.id,
    name: ws.name,
    role: ws.role,
    tier: ws.tier,
    status: ws.status,
    url: ws.url,
    parent_id: ws.parent_id,
    active_tasks: ws.active_tasks,
    max_concurrent_tasks: ws.max_concurrent_tasks,
    last_error_rate: ws.last_error_rate,
    uptime_seconds: ws.uptime_seconds,
    runtime: ws.runtime,
    delivery_mode: deliveryModeOf(ws),
    x: ws.x,
    y: ws.y,
    collapsed: ws.collapsed,
    agent_card: ws.agent_card,
    broadcast_enabled: ws.broadcast_enabled,
    talk_to_user_enabled: ws.talk_to_user_enabled,
    last_heartbeat_at: ws.last_heartbeat_at === null ? null : isoTime(ws.last_heartbeat_at),
    last_outbound_at: ws.last_outbound_at === null ? null : isoTime(ws.last_outbound_at),
  }
}

/** Admin list shape (`GET /workspaces`): everything. */
export function describeWorkspaceFull(ws: Workspace): Record<string, unknown> {
  return {
    ...describeWorkspace(ws),
    current_task: ws.current_task,
    last_sample_error: ws.last_sample_error,
    budget_limit: ws.budget_limit,
    monthly_spend: ws.monthly_spend,
    workspace_dir: ws.workspace_dir,
    created_at: isoTime(ws.created_at),
    updated_at: isoTime(ws.updated_at),
  }
}
