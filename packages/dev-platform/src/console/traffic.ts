import type { ActivityRow } from '../activity-log.js'
import type { PlatformState } from '../platform-state.js'
import { replyText } from '../reply-text.js'
import { type Party, partyOf, USER } from './parties.js'
import { requestText, shownText } from './text-preview.js'

const PREVIEW = 240

/** One A2A message through the platform: who to whom, what was said and answered, how long it took. */
export interface TimelineEntry {
  id: string
  at: number
  from: Party
  to: Party
  method: string
  text: string
  reply: string
  latencyMs: number | null
  /** `ok`, `error`, or `inbox` (parked for a poll-mode workspace to fetch). */
  status: 'ok' | 'error' | 'inbox'
  error: string
}

/** A delegation from one workspace to another and how it stands. */
export interface DelegationEntry {
  id: string
  at: number
  from: Party
  to: Party
  task: string
  status: string
  result: string
}

/** Any activity row, as a one-line summary. */
export interface ActivityEntry {
  id: string
  at: number
  workspace: Party
  type: string
  method: string
  summary: string
  status: string
}

/** Rows the message timeline shows: proxied and inbox messages, agent → user messages, agent-reported sends. */
export function isTimelineRow(row: ActivityRow): boolean {
  return row.activity_type === 'a2a_receive' || row.activity_type === 'a2a_send'
}

/** The request rows of delegations (their outcome rows carry the same `delegation_id`). */
export function isDelegationRow(row: ActivityRow): boolean {
  return row.activity_type === 'delegation' && row.method === 'delegate' && row.delegation_id !== undefined
}

function textOf(value: unknown): string {
  if (typeof value === 'string') return value
  return replyText(value) ?? ''
}

export function timelineEntry(state: PlatformState, row: ActivityRow): TimelineEntry {
  const base = {
    id: row.id,
    at: row.created_at,
    method: row.method ?? '',
    latencyMs: row.duration_ms,
    error: shownText(row.error_detail ?? '', PREVIEW),
  }
  const status = row.status === 'error' ? 'error' : 'ok'
  if (row.method === 'notify') {
    const said = (row.response_body as { result?: unknown } | null)?.result
    return {
      ...base,
      from: partyOf(state, row.workspace_id),
      to: USER,
      text: shownText(typeof said === 'string' ? said : '', PREVIEW),
      reply: '',
      status,
    }
  }
  if (row.method === 'chat_upload_receive') {
    const name = (row.request_body as { name?: unknown } | null)?.name
    return {
      ...base,
      from: USER,
      to: partyOf(state, row.workspace_id),
      text: shownText(`file: ${typeof name === 'string' ? name : '?'}`, PREVIEW),
      reply: '',
      status: 'inbox',
    }
  }
  const sent = row.activity_type === 'a2a_send'
  const parked = !sent && row.response_body === null && row.duration_ms === null && status === 'ok'
  return {
    ...base,
    from: partyOf(state, sent ? row.workspace_id : row.source_id),
    to: partyOf(state, sent ? row.target_id : (row.target_id ?? row.workspace_id)),
    text: shownText(requestText(row.request_body) ?? row.summary ?? '', PREVIEW),
    reply: shownText(textOf(row.response_body), PREVIEW),
    status: parked ? 'inbox' : status,
  }
}

/** The newest outcome row of a delegation (`delegate_result`), if any. */
function outcomeOf(state: PlatformState, request: ActivityRow): ActivityRow | undefined {
  const rows = state.activity.rows
  for (let i = rows.length - 1; i >= 0; i--) {
    const row = rows[i] as ActivityRow
    if (row.seq <= request.seq) break
    if (row.method === 'delegate_result' && row.delegation_id === request.delegation_id) return row
  }
  return undefined
}

export function delegationEntry(state: PlatformState, request: ActivityRow): DelegationEntry {
  const outcome = outcomeOf(state, request)
  const task = (request.request_body as { task?: unknown } | null)?.task
  const result =
    request.status === 'failed'
      ? (request.error_detail ?? outcome?.error_detail ?? '')
      : textOf((outcome?.response_body as { text?: unknown } | null)?.text)
  return {
    id: request.delegation_id as string,
    at: request.created_at,
    from: partyOf(state, request.workspace_id),
    to: partyOf(state, request.target_id),
    task: shownText(typeof task === 'string' ? task : '', PREVIEW),
    status: request.status,
    result: shownText(result, PREVIEW),
  }
}

export function activityEntry(state: PlatformState, row: ActivityRow): ActivityEntry {
  return {
    id: row.id,
    at: row.created_at,
    workspace: partyOf(state, row.workspace_id),
    type: row.activity_type,
    method: shownText(row.method ?? '', 60),
    summary: shownText(row.summary ?? '', PREVIEW),
    status: shownText(row.status, 30),
  }
}
