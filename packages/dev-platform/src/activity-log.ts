import { isoTime, newId } from './ids.js'

export interface ActivityRow {
  id: string
  /** Monotonic sort key: rows written in the same millisecond keep their order (upstream's cursor gap). */
  seq: number
  workspace_id: string
  activity_type: string
  source_id: string | null
  target_id: string | null
  method: string | null
  summary: string | null
  request_body: unknown
  response_body: unknown
  tool_trace: unknown
  duration_ms: number | null
  status: string
  error_detail: string | null
  created_at: number
  /** Delegation rows only. */
  delegation_id?: string
  idempotency_key?: string
}

export type NewActivityRow = Partial<Omit<ActivityRow, 'id' | 'seq' | 'created_at' | 'workspace_id'>> & {
  workspace_id: string
  activity_type: string
}

export interface ActivityQuery {
  type?: string
  source?: 'canvas' | 'agent'
  limit: number
  sinceId?: string
  sinceMs?: number
  peerId?: string
  beforeMs?: number
}

/** The single activity journal (inbox rows, agent reports, delegation rows, notify rows). */
export class ActivityLog {
  readonly rows: ActivityRow[] = []
  private seq = 0

  constructor(private readonly now: () => number) {}

  append(input: NewActivityRow): ActivityRow {
    const row: ActivityRow = {
      source_id: null,
      target_id: null,
      method: null,
      summary: null,
      request_body: null,
      response_body: null,
      tool_trace: null,
      duration_ms: null,
      status: 'ok',
      error_detail: null,
      ...input,
      id: newId(),
      seq: ++this.seq,
      created_at: this.now(),
    }
    this.rows.push(row)
    return row
  }

  /** Rows written after the row numbered `seq`, oldest first (walks back from the newest: cheap for a few rows). */
  since(seq: number): ActivityRow[] {
    let start = this.rows.length
    while (start > 0 && (this.rows[start - 1] as ActivityRow).seq > seq) start--
    return this.rows.slice(start)
  }

  /** Number of the newest row (0 before the first). */
  get lastSeq(): number {
    return this.seq
  }

  find(id: string): ActivityRow | undefined {
    return this.rows.find((row) => row.id === id)
  }

  /** Drops rows older than `cutoff`; returns how many went. */
  prune(cutoff: number): number {
    const before = this.rows.length
    let keep = 0
    while (keep < this.rows.length && (this.rows[keep] as ActivityRow).created_at < cutoff) keep++
    this.rows.splice(0, keep)
    return before - this.rows.length
  }

  /**
   * Rows of one workspace. With `sinceId`: rows strictly after that cursor, oldest first; `undefined`
   * when the cursor is not a row of this workspace (the route answers 410). Otherwise newest first.
   */
  query(workspaceId: string, q: ActivityQuery): ActivityRow[] | undefined {
    let cursorSeq = 0
    if (q.sinceId !== undefined) {
      const cursor = this.rows.find((row) => row.id === q.sinceId && row.workspace_id === workspaceId)
      if (!cursor) return undefined
      cursorSeq = cursor.seq
    }
    const matches = this.rows.filter(
      (row) =>
        row.workspace_id === workspaceId &&
        row.seq > cursorSeq &&
        (q.type === undefined || row.activity_type === q.type) &&
        (q.source === undefined || (q.source === 'canvas') === (row.source_id === null)) &&
        (q.peerId === undefined || row.source_id === q.peerId || row.target_id === q.peerId) &&
        (q.sinceMs === undefined || row.created_at >= q.sinceMs) &&
        (q.beforeMs === undefined || row.created_at < q.beforeMs),
    )
    if (q.sinceId !== undefined) return matches.slice(0, q.limit)
    return matches.reverse().slice(0, q.limit)
  }

  /** Wire shape of `GET /workspaces/:id/activity` rows: `request_body`, `response_body`, `tool_trace` are absent when null. */
  static describe(row: ActivityRow): Record<string, unknown> {
    const out: Record<string, unknown> = {
      id: row.id,
      workspace_id: row.workspace_id,
      activity_type: row.activity_type,
      source_id: row.source_id,
      target_id: row.target_id,
      method: row.method,
      summary: row.summary,
    }
    if (row.request_body !== null && row.request_body !== undefined) out.request_body = row.request_body
    if (row.response_body !== null && row.response_body !== undefined) out.response_body = row.response_body
    if (row.tool_trace !== null && row.tool_trace !== undefined) out.tool_trace = row.tool_trace
    out.duration_ms = row.duration_ms
    out.status = row.status
    out.error_detail = row.error_detail
    out.created_at = isoTime(row.created_at)
    return out
  }
}
