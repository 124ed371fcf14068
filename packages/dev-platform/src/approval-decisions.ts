import type { ApprovalRecord, PlatformState } from './platform-state.js'

/** `decided_by` of a request nobody decided in time. */
export const AUTO_EXPIRED = 'auto-expired'

/**
 * Records a decision and announces it as the platform does: `APPROVAL_APPROVED` or `APPROVAL_DENIED` with
 * `{approval_id, decision, decided_by}`, then the compatibility `APPROVAL_DECIDED {approval_id, status,
 * decided_by}` (not recorded) for agents that wait for that name.
 */
export function decideApproval(
  state: PlatformState,
  approval: ApprovalRecord,
  decision: 'approved' | 'denied',
  decidedBy: string,
): void {
  approval.status = decision
  approval.decided_by = decidedBy
  approval.decided_at = state.now()
  const payload = { approval_id: approval.id, decision, decided_by: decidedBy }
  state.events.emit(
    decision === 'approved' ? 'APPROVAL_APPROVED' : 'APPROVAL_DENIED',
    approval.workspace_id,
    payload,
  )
  state.events.emit(
    'APPROVAL_DECIDED',
    approval.workspace_id,
    { approval_id: approval.id, status: decision, decided_by: decidedBy },
    false,
  )
}

/** Denies (as `auto-expired`) every pending request older than `expiryMs`; returns how many. */
export function expireApprovals(state: PlatformState, expiryMs: number): number {
  const cutoff = state.now() - expiryMs
  let expired = 0
  for (const approval of state.approvals.values()) {
    if (approval.status === 'pending' && approval.created_at <= cutoff) {
      decideApproval(state, approval, 'denied', AUTO_EXPIRED)
      expired++
    }
  }
  return expired
}
