import type { Approval, PlatformStreamEvent } from '@molecule/platform-client'

/** A human's (or the platform's) answer to one approval request. */
export interface ApprovalDecision {
  status: 'approved' | 'denied'
  /** Who decided: a person's name, `human`, or `auto-expired` when the platform's expiry denied it. */
  decidedBy: string
}

/** `decided_by` of a request the platform denied because nobody decided in time. */
export const AUTO_EXPIRED = 'auto-expired'

function text(value: unknown, fallback: string): string {
  return typeof value === 'string' && value !== '' ? value : fallback
}

/**
 * The decision an event carries for `approvalId`, if any: `APPROVAL_APPROVED` / `APPROVAL_DENIED` (what the platform
 * sends, `{approval_id, decision, decided_by}`) or the legacy `APPROVAL_DECIDED` (`{approval_id, status,
 * decided_by}`), in either stream shape (the event stream reads both into `data`).
 */
export function decisionFromEvent(
  event: PlatformStreamEvent,
  approvalId: string,
): ApprovalDecision | undefined {
  const { type, data } = event
  if (data.approval_id !== approvalId) return undefined
  if (type === 'APPROVAL_APPROVED' || type === 'APPROVAL_DENIED') {
    return {
      status: type === 'APPROVAL_APPROVED' ? 'approved' : 'denied',
      decidedBy: text(data.decided_by, 'human'),
    }
  }
  if (type === 'APPROVAL_DECIDED') {
    return {
      status: data.status === 'approved' ? 'approved' : 'denied',
      decidedBy: text(data.decided_by, 'human'),
    }
  }
  return undefined
}

/** The decision of a listed approval row; undefined while it is `pending` (or `escalated`). */
export function decisionFromRow(row: Approval): ApprovalDecision | undefined {
  if (row.status !== 'approved' && row.status !== 'denied') return undefined
  return { status: row.status, decidedBy: text(row.decided_by, 'human') }
}
