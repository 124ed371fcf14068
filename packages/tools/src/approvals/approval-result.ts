import type { NormalisedResult } from '../registry.js'
import { type ApprovalDecision, AUTO_EXPIRED } from './decision.js'

/**
 * How a request ended: `approved` / `denied` by a person, `expired` (the platform denied it because nobody decided
 * in time), `timed_out` (this call stopped waiting; the request is still open), `pending` (the call's budget ran out
 * first: check later), `failed` (the request could not be made).
 */
export type ApprovalOutcome = 'approved' | 'denied' | 'expired' | 'timed_out' | 'pending' | 'failed'

/** What `request_approval` and `check_approval` answer (as JSON text and as `data`). */
export interface ApprovalResult {
  approved: boolean
  outcome: ApprovalOutcome
  approval_id?: string
  decided_by?: string
  message?: string
  error?: string
}

export function decidedResult(approvalId: string, decision: ApprovalDecision): ApprovalResult {
  if (decision.status === 'approved') {
    return { approved: true, outcome: 'approved', approval_id: approvalId, decided_by: decision.decidedBy }
  }
  if (decision.decidedBy === AUTO_EXPIRED) {
    return {
      approved: false,
      outcome: 'expired',
      approval_id: approvalId,
      decided_by: AUTO_EXPIRED,
      message:
        'Expired: nobody decided within the platform’s approval window, so the platform denied it automatically (not a human decision)',
    }
  }
  return {
    approved: false,
    outcome: 'denied',
    approval_id: approvalId,
    decided_by: decision.decidedBy,
    message: 'Denied by human',
  }
}

export function timedOutResult(approvalId: string, timeoutSeconds: number): ApprovalResult {
  return {
    approved: false,
    outcome: 'timed_out',
    approval_id: approvalId,
    error: `Timed out after ${timeoutSeconds}s waiting for human decision`,
    message: `No one has decided yet; the request stays open. check_approval(approval_id="${approvalId}") picks up a later decision.`,
  }
}

export function pendingResult(approvalId: string): ApprovalResult {
  return {
    approved: false,
    outcome: 'pending',
    approval_id: approvalId,
    message: `No decision yet. Call check_approval(approval_id="${approvalId}") to wait for it; do not request approval again.`,
  }
}

export function failedResult(error: string, approvalId?: string): ApprovalResult {
  return { approved: false, outcome: 'failed', ...(approvalId ? { approval_id: approvalId } : {}), error }
}

/** A result as a tool answer: its JSON as text, the object as data; only a failure is an error. */
export function asToolResult(result: ApprovalResult): NormalisedResult {
  return { text: JSON.stringify(result), isError: result.outcome === 'failed', data: result }
}
