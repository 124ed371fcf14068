import type { ActivityRow } from '../activity-log.js'
import type { PlatformState } from '../platform-state.js'
import type { InboxCounter } from './inbox-counter.js'
import { type ApprovalEntry, approvalEntry, type MemoryEntry, memoryEntry } from './records.js'
import {
  type ActivityEntry,
  activityEntry,
  type DelegationEntry,
  delegationEntry,
  isDelegationRow,
  isTimelineRow,
  type TimelineEntry,
  timelineEntry,
} from './traffic.js'
import { summarizeWorkspace, type WorkspaceSummary } from './workspace-summary.js'

/** How many entries of each list a page holds (the client trims to the same numbers). */
export const LIST_LIMITS = {
  timeline: 200,
  delegations: 50,
  approvals: 50,
  memories: 50,
  activity: 200,
} as const

/** Everything the console shows, as sent when a page connects. */
export interface ConsoleSnapshot {
  /** The platform's clock, so the page computes heartbeat ages without trusting its own. */
  now: number
  workspaces: WorkspaceSummary[]
  timeline: TimelineEntry[]
  delegations: DelegationEntry[]
  approvals: ApprovalEntry[]
  memories: MemoryEntry[]
  activity: ActivityEntry[]
}

/** The newest `limit` rows matching `keep`, oldest first (walks back from the newest row). */
export function newestRows(
  state: PlatformState,
  keep: (row: ActivityRow) => boolean,
  limit: number,
): ActivityRow[] {
  const rows = state.activity.rows
  const out: ActivityRow[] = []
  for (let i = rows.length - 1; i >= 0 && out.length < limit; i--) {
    const row = rows[i] as ActivityRow
    if (keep(row)) out.push(row)
  }
  return out.reverse()
}

/** The newest memories, oldest first. */
export function newestMemories(state: PlatformState): MemoryEntry[] {
  return state.memories.slice(-LIST_LIMITS.memories).map((memory) => memoryEntry(state, memory))
}

/** Pending approvals first (all of them), then the newest decided ones, within the list limit. */
export function approvalList(state: PlatformState): ApprovalEntry[] {
  const all = [...state.approvals.values()]
  const pending = all.filter((a) => a.status === 'pending')
  const decided = all
    .filter((a) => a.status !== 'pending')
    .slice(-Math.max(0, LIST_LIMITS.approvals - pending.length))
  return [...decided, ...pending].map((approval) => approvalEntry(state, approval))
}

/** The request row of a delegation, by its id (newest first: recent delegations are the ones that change). */
export function delegationRow(state: PlatformState, delegationId: string): ActivityRow | undefined {
  const rows = state.activity.rows
  for (let i = rows.length - 1; i >= 0; i--) {
    const row = rows[i] as ActivityRow
    if (row.delegation_id === delegationId && isDelegationRow(row)) return row
  }
  return undefined
}

export function buildSnapshot(state: PlatformState, inbox: InboxCounter): ConsoleSnapshot {
  const workspaces = [...state.workspaces.values()]
    .filter((ws) => ws.status !== 'removed')
    .map((ws) => summarizeWorkspace(state, ws, inbox))
  return {
    now: state.now(),
    workspaces,
    timeline: newestRows(state, isTimelineRow, LIST_LIMITS.timeline).map((row) => timelineEntry(state, row)),
    delegations: newestRows(state, isDelegationRow, LIST_LIMITS.delegations).map((row) =>
      delegationEntry(state, row),
    ),
    approvals: approvalList(state),
    memories: newestMemories(state),
    activity: newestRows(state, () => true, LIST_LIMITS.activity).map((row) => activityEntry(state, row)),
  }
}
