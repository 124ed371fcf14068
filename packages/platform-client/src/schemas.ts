import { z } from 'zod'

// Response schemas are deliberately loose (unknown keys kept, optional fields nullable): a newer platform adding or
// nulling a field must never break a running workspace. Only what callers rely on is required.

const optStr = z.string().nullish()
const optNum = z.number().nullish()

export const RegisterResponseSchema = z.looseObject({
  status: z.string(),
  auth_token: z.string().optional(),
  delivery_mode: z.string().optional(),
  platform_inbound_secret: z.string().optional(),
})
export type RegisterResponse = z.infer<typeof RegisterResponseSchema>

export const HeartbeatResponseSchema = z.looseObject({
  status: z.string(),
  platform_inbound_secret: z.string().optional(),
})
export type HeartbeatResponse = z.infer<typeof HeartbeatResponseSchema>

export const StatusResponseSchema = z.looseObject({ status: z.string() })
export type StatusResponse = z.infer<typeof StatusResponseSchema>

/** `POST /workspaces/:id/broadcast` → `{status: "sent", delivered, targets}` (counts optional: older platforms). */
export const BroadcastResponseSchema = z.looseObject({
  status: optStr,
  delivered: optNum,
  targets: optNum,
})
export type BroadcastResponse = z.infer<typeof BroadcastResponseSchema>

export const DiscoverResponseSchema = z.looseObject({
  id: optStr,
  url: z.string(),
  name: optStr,
})
export type DiscoverResponse = z.infer<typeof DiscoverResponseSchema>

export const PeerSchema = z.looseObject({
  id: z.string(),
  name: optStr,
  role: optStr,
  tier: optNum,
  status: optStr,
  url: optStr,
  parent_id: optStr,
  active_tasks: optNum,
  agent_card: z.unknown().optional(),
})
export type Peer = z.infer<typeof PeerSchema>

/** `GET /workspaces/:id`: the peer fields plus what only the workspace's own view carries. */
export const WorkspaceSchema = PeerSchema.extend({
  max_concurrent_tasks: optNum,
  runtime: optStr,
})
export type Workspace = z.infer<typeof WorkspaceSchema>

export const DelegateResponseSchema = z.looseObject({
  delegation_id: z.string(),
  status: z.string(),
  target_id: optStr,
  idempotent_hit: z.boolean().optional(),
  warning: z.string().optional(),
})
export type DelegateResponse = z.infer<typeof DelegateResponseSchema>

export const DelegationRowSchema = z.looseObject({
  id: z.string(),
  type: optStr,
  source_id: optStr,
  target_id: optStr,
  summary: optStr,
  status: optStr,
  created_at: optStr,
  delegation_id: optStr,
  error: optStr,
  response_preview: optStr,
})
export type DelegationRow = z.infer<typeof DelegationRowSchema>

export const RecordDelegationResponseSchema = z.looseObject({
  delegation_id: z.string(),
  status: z.string(),
})
export type RecordDelegationResponse = z.infer<typeof RecordDelegationResponseSchema>

export const UpdateDelegationResponseSchema = z.looseObject({
  status: z.string(),
  delegation_id: optStr,
})
export type UpdateDelegationResponse = z.infer<typeof UpdateDelegationResponseSchema>

export const AttachmentSchema = z.looseObject({
  uri: z.string(),
  name: z.string(),
  mimeType: optStr,
  size: optNum,
})
export type Attachment = z.infer<typeof AttachmentSchema>

export const UploadResponseSchema = z.looseObject({ files: z.array(AttachmentSchema) })
export type UploadResponse = z.infer<typeof UploadResponseSchema>

export const PendingUploadAckSchema = z.looseObject({ acked: z.boolean(), file_id: optStr })
export type PendingUploadAck = z.infer<typeof PendingUploadAckSchema>

export const ActivityRowSchema = z.looseObject({
  id: z.string(),
  workspace_id: optStr,
  activity_type: optStr,
  source_id: optStr,
  target_id: optStr,
  method: optStr,
  summary: optStr,
  request_body: z.unknown().optional(),
  response_body: z.unknown().optional(),
  tool_trace: z.unknown().optional(),
  duration_ms: optNum,
  status: optStr,
  error_detail: optStr,
  created_at: optStr,
  peer_name: optStr,
  peer_role: optStr,
  agent_card_url: optStr,
})
export type ActivityRow = z.infer<typeof ActivityRowSchema>

export const MemoryCommitResponseSchema = z.looseObject({
  id: z.string(),
  scope: optStr,
  namespace: optStr,
})
export type MemoryCommitResponse = z.infer<typeof MemoryCommitResponseSchema>

export const MemorySchema = z.looseObject({
  id: z.string(),
  workspace_id: optStr,
  content: z.string(),
  scope: optStr,
  namespace: optStr,
  created_at: optStr,
  similarity_score: optNum,
})
export type Memory = z.infer<typeof MemorySchema>

export const ApprovalRequestResponseSchema = z.looseObject({
  approval_id: z.string(),
  status: z.string(),
})
export type ApprovalRequestResponse = z.infer<typeof ApprovalRequestResponseSchema>

export const ApprovalSchema = z.looseObject({
  id: z.string(),
  task_id: optStr,
  action: optStr,
  reason: optStr,
  status: z.string(),
  decided_by: optStr,
  decided_at: optStr,
  created_at: optStr,
})
export type Approval = z.infer<typeof ApprovalSchema>

export const InstructionsSchema = z.looseObject({
  workspace_id: optStr,
  instructions: z
    .string()
    .nullish()
    .transform((v) => v ?? ''),
})
export type Instructions = z.infer<typeof InstructionsSchema>

export const SharedContextFileSchema = z.looseObject({ path: z.string(), content: z.string() })
export type SharedContextFile = z.infer<typeof SharedContextFileSchema>

export const CheckpointSchema = z.looseObject({
  id: optStr,
  workspace_id: optStr,
  workflow_id: z.string(),
  step_name: z.string(),
  step_index: optNum,
  completed_at: optStr,
  payload: z.unknown().optional(),
})
export type Checkpoint = z.infer<typeof CheckpointSchema>

/** `POST /workspaces/:id/a2a` 202 body when the target agent was busy. */
export const A2AQueuedBusySchema = z.looseObject({
  queued: z.literal(true),
  queue_id: z.string(),
  queue_depth: optNum,
})
/** `POST /workspaces/:id/a2a` 200 body when the target is in poll delivery mode. */
export const A2AQueuedPollSchema = z.looseObject({
  status: z.literal('queued'),
  delivery_mode: z.literal('poll'),
  method: optStr,
})

/** `GET /workspaces/:id/state`: a deleted workspace answers 404 with `deleted: true`. */
export const WorkspaceStateSchema = z.looseObject({
  workspace_id: optStr,
  status: optStr,
  paused: z.boolean().nullish(),
  deleted: z.boolean().nullish(),
})
export type WorkspaceState = z.infer<typeof WorkspaceStateSchema>
