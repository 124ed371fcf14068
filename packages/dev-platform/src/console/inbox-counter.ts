import type { PlatformState } from '../platform-state.js'
import { deliveryModeOf } from '../workspace.js'

/** Unread rows remembered per workspace at most; beyond that the oldest are dropped (the count saturates). */
const MAX_UNREAD = 10_000

/**
 * Inbox depth of poll-mode workspaces: the inbox rows (`a2a_receive`, except the agent's own `notify` rows) written
 * after the newest row an activity read has returned to the workspace. Counted incrementally: each call looks only
 * at rows written since the previous one.
 */
export class InboxCounter {
  private scanned = 0
  private readonly unread = new Map<string, number[]>()

  constructor(private readonly state: PlatformState) {}

  depth(workspaceId: string): number {
    this.catchUp()
    const ws = this.state.get(workspaceId)
    const seqs = this.unread.get(workspaceId)
    if (!ws || !seqs) return 0
    const oldestKept = this.state.activity.rows[0]?.seq ?? Number.POSITIVE_INFINITY
    let drop = 0
    while (drop < seqs.length) {
      const seq = seqs[drop] as number
      if (seq > ws.inbox_read_seq && seq >= oldestKept) break
      drop++
    }
    if (drop > 0) seqs.splice(0, drop)
    return seqs.length
  }

  private catchUp(): void {
    const log = this.state.activity
    if (log.lastSeq === this.scanned) return
    for (const row of log.since(this.scanned)) {
      if (row.activity_type !== 'a2a_receive' || row.method === 'notify') continue
      const ws = this.state.get(row.workspace_id)
      if (!ws || deliveryModeOf(ws) !== 'poll') continue
      const seqs = this.unread.get(ws.id) ?? []
      if (seqs.length === 0) this.unread.set(ws.id, seqs)
      seqs.push(row.seq)
      if (seqs.length > MAX_UNREAD) seqs.shift()
    }
    this.scanned = log.lastSeq
  }
}
