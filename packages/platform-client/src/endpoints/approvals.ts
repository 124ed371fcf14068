import { type Endpoint, endpoint, listOf, route } from '../endpoint.js'
import {
  type Approval,
  type ApprovalRequestResponse,
  ApprovalRequestResponseSchema,
  ApprovalSchema,
} from '../schemas.js'
import type { RequestApprovalInput } from '../types.js'

// Human approval of risky actions. A request is not retried: a repeat would ask the human twice.

/** `POST /workspaces/:id/approvals`: unset fields are left out. */
export function requestApproval(
  workspaceId: string,
  input: RequestApprovalInput,
): Endpoint<ApprovalRequestResponse> {
  const json: Record<string, unknown> = { action: input.action }
  if (input.reason !== undefined) json.reason = input.reason
  if (input.taskId !== undefined) json.task_id = input.taskId
  if (input.context !== undefined) json.context = input.context
  return endpoint(
    'POST',
    route('/workspaces/:id/approvals', { id: workspaceId }),
    ApprovalRequestResponseSchema,
    { json },
  )
}

/** `GET /workspaces/:id/approvals`. */
export function listApprovals(workspaceId: string): Endpoint<Approval[]> {
  return endpoint('GET', route('/workspaces/:id/approvals', { id: workspaceId }), listOf(ApprovalSchema))
}
