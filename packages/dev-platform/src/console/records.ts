import type { ApprovalRecord, MemoryRecord, PlatformState } from '../platform-state.js'
import { type Party, partyOf } from './parties.js'
import { shownJson, shownText } from './text-preview.js'

/** An approval request, pending or decided. */
export interface ApprovalEntry {
  id: string
  at: number
  workspace: Party
  action: string
  reason: string
  taskId: string
  /** The request's `context`, as masked JSON (empty when there is none). */
  context: string
  status: ApprovalRecord['status']
  decidedBy: string
  decidedAt: number | null
}

/** A scoped memory a workspace committed (already scrubbed by the platform; masked again for display). */
export interface MemoryEntry {
  id: string
  at: number
  workspace: Party
  scope: MemoryRecord['scope']
  namespace: string
  content: string
}

export function approvalEntry(state: PlatformState, approval: ApprovalRecord): ApprovalEntry {
  return {
    id: approval.id,
    at: approval.created_at,
    workspace: partyOf(state, approval.workspace_id),
    action: shownText(approval.action, 120),
    reason: shownText(approval.reason ?? '', 400),
    taskId: shownText(approval.task_id ?? '', 80),
    context:
      approval.context === null || approval.context === undefined ? '' : shownJson(approval.context, 2_000),
    status: approval.status,
    decidedBy: shownText(approval.decided_by ?? '', 80),
    decidedAt: approval.decided_at,
  }
}

export function memoryEntry(state: PlatformState, memory: MemoryRecord): MemoryEntry {
  return {
    id: memory.id,
    at: memory.created_at,
    workspace: partyOf(state, memory.workspace_id),
    scope: memory.scope,
    namespace: shownText(memory.namespace, 50),
    content: shownText(memory.content, 400),
  }
}
