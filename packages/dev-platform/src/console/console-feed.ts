import type { ActivityRow } from '../activity-log.js'
import type { PlatformEvent } from '../event-bus.js'
import type { PlatformState } from '../platform-state.js'
import type { StateChange } from '../state-changes.js'
import { deliveryModeOf } from '../workspace.js'
import type { InboxCounter } from './inbox-counter.js'
import { type ApprovalEntry, approvalEntry, type MemoryEntry } from './records.js'
import { buildSnapshot, type ConsoleSnapshot, delegationRow, newestMemories } from './snapshot.js'
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
import { summarizeWorkspace, type WorkspaceSummary, workspaceSignature } from './workspace-summary.js'

/** What changed since the previous batch: timeline and activity rows are new; the other lists upsert by id. */
export interface ConsoleBatch {
  now: number
  /** Workspaces whose row changed (a heartbeat alone changes only `beats`). */
  workspaces?: WorkspaceSummary[]
  /** Workspaces that are gone. */
  removed?: string[]
  /** Newest heartbeat time per workspace that beat. */
  beats?: Record<string, number>
  timeline?: TimelineEntry[]
  delegations?: DelegationEntry[]
  approvals?: ApprovalEntry[]
  /** The whole memory list, when it changed. */
  memories?: MemoryEntry[]
  activity?: ActivityEntry[]
}

/**
 * One open console page's view of the platform. Events only mark what is dirty (cheap: a heartbeat is a map write);
 * `flush` turns the marks into one batch, so a burst of events costs one frame. A row is resent only when what it
 * shows changed: `lastSent` keeps the signature of every row the page holds.
 */
/** The page shows heartbeat ages in whole seconds: a workspace's beat is sent at most once per this many ms. */
const BEAT_RESOLUTION_MS = 1_000

export class ConsoleFeed {
  private cursor: number
  private readonly dirty = new Set<string>()
  private readonly beats = new Map<string, number>()
  /** Heartbeat time last sent per workspace. */
  private readonly beatSent = new Map<string, number>()
  private readonly approvals = new Set<string>()
  private readonly delegations = new Set<string>()
  private memoriesDirty = false
  private readonly lastSent = new Map<string, string>()
  /** Active task counts and queue length as of the latest heartbeats (what a heartbeat may change unannounced). */
  private readonly activeSeen = new Map<string, number>()
  private queueSeen = 0

  constructor(
    private readonly state: PlatformState,
    private readonly inbox: InboxCounter,
  ) {
    this.cursor = state.activity.lastSeq
  }

  /** The full view; later batches are relative to it. */
  snapshot(): ConsoleSnapshot {
    this.cursor = this.state.activity.lastSeq
    const snapshot = buildSnapshot(this.state, this.inbox)
    this.lastSent.clear()
    for (const ws of this.state.workspaces.values()) {
      if (ws.status !== 'removed') this.lastSent.set(ws.id, workspaceSignature(this.state, ws, this.inbox))
    }
    return snapshot
  }

  /** Marks what a platform event changed. */
  onEvent(event: PlatformEvent): void {
    const approvalId = event.payload.approval_id
    const delegationId = event.payload.delegation_id
    if (event.event === 'WORKSPACE_HEARTBEAT') {
      this.onHeartbeat(event.workspaceId)
      return
    }
    if (typeof approvalId === 'string') this.approvals.add(approvalId)
    if (typeof delegationId === 'string') this.delegations.add(delegationId)
    this.dirty.add(event.workspaceId)
  }

  /**
   * The hot path: most heartbeats change nothing the row shows. A new current task comes with its own event
   * (TASK_UPDATED); what a heartbeat can change silently is the active task count and the busy queue (a drain).
   */
  private onHeartbeat(workspaceId: string): void {
    const ws = this.state.get(workspaceId)
    if (!ws) return
    const at = ws.last_heartbeat_at
    const sent = this.beatSent.get(workspaceId) ?? Number.NEGATIVE_INFINITY
    if (at !== null && at - sent >= BEAT_RESOLUTION_MS) this.beats.set(workspaceId, at)
    if (this.activeSeen.get(workspaceId) !== ws.active_tasks || this.state.queue.length !== this.queueSeen) {
      this.activeSeen.set(workspaceId, ws.active_tasks)
      this.queueSeen = this.state.queue.length
      this.dirty.add(workspaceId)
    }
  }

  onChange(change: StateChange, workspaceId: string): void {
    if (change === 'memories') this.memoriesDirty = true
    this.dirty.add(workspaceId)
  }

  /** The batch of everything marked since the previous flush, or undefined when nothing the page shows changed. */
  flush(): ConsoleBatch | undefined {
    const batch: ConsoleBatch = { now: this.state.now() }
    this.takeRows(batch)
    this.takeWorkspaces(batch)
    if (this.beats.size > 0) {
      batch.beats = Object.fromEntries(this.beats)
      for (const [id, at] of this.beats) this.beatSent.set(id, at)
      this.beats.clear()
    }
    this.takeApprovals(batch)
    this.takeDelegations(batch)
    if (this.memoriesDirty) batch.memories = newestMemories(this.state)
    this.memoriesDirty = false
    return Object.keys(batch).length > 1 ? batch : undefined
  }

  private takeRows(batch: ConsoleBatch): void {
    if (this.state.activity.lastSeq === this.cursor) return
    const rows = this.state.activity.since(this.cursor)
    this.cursor = this.state.activity.lastSeq
    const timeline: TimelineEntry[] = []
    const activity: ActivityEntry[] = []
    for (const row of rows) {
      activity.push(activityEntry(this.state, row))
      if (isTimelineRow(row)) timeline.push(timelineEntry(this.state, row))
      if (isDelegationRow(row) || row.delegation_id !== undefined)
        this.delegations.add(row.delegation_id as string)
      this.markInbox(row)
    }
    if (activity.length > 0) batch.activity = activity
    if (timeline.length > 0) batch.timeline = timeline
  }

  /** An inbox row of a poll workspace changes its queue depth. */
  private markInbox(row: ActivityRow): void {
    const ws = this.state.get(row.workspace_id)
    if (ws && row.activity_type === 'a2a_receive' && deliveryModeOf(ws) === 'poll') this.dirty.add(ws.id)
  }

  private takeWorkspaces(batch: ConsoleBatch): void {
    if (this.dirty.size === 0) return
    const changed: WorkspaceSummary[] = []
    const removed: string[] = []
    for (const id of this.dirty) {
      const ws = this.state.get(id)
      if (!ws || ws.status === 'removed') {
        this.beatSent.delete(id)
        this.activeSeen.delete(id)
        if (this.lastSent.delete(id)) removed.push(id)
        continue
      }
      const signature = workspaceSignature(this.state, ws, this.inbox)
      if (this.lastSent.get(id) === signature) continue
      this.lastSent.set(id, signature)
      changed.push(summarizeWorkspace(this.state, ws, this.inbox))
    }
    this.dirty.clear()
    if (changed.length > 0) batch.workspaces = changed
    if (removed.length > 0) batch.removed = removed
  }

  private takeApprovals(batch: ConsoleBatch): void {
    if (this.approvals.size === 0) return
    const entries: ApprovalEntry[] = []
    for (const id of this.approvals) {
      const approval = this.state.approvals.get(id)
      if (approval) entries.push(approvalEntry(this.state, approval))
    }
    this.approvals.clear()
    if (entries.length > 0) batch.approvals = entries
  }

  private takeDelegations(batch: ConsoleBatch): void {
    if (this.delegations.size === 0) return
    const entries: DelegationEntry[] = []
    for (const id of this.delegations) {
      const row = delegationRow(this.state, id)
      if (row) entries.push(delegationEntry(this.state, row))
    }
    this.delegations.clear()
    if (entries.length > 0) batch.delegations = entries
  }
}
