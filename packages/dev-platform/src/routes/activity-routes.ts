import { Hono } from 'hono'
import { z } from 'zod'
import { ActivityLog, type ActivityRow } from '../activity-log.js'
import { isUuid } from '../ids.js'
import type { PlatformState } from '../platform-state.js'
import { fieldOf, jsonBody } from './json-body.js'
import { anyValue, someNumber, someText } from './lenient-fields.js'
import { errorJson, limitParam, type RouteContext } from './route-context.js'

const AGENT_ACTIVITY_TYPES = [
  'a2a_send',
  'a2a_receive',
  'task_update',
  'agent_log',
  'skill_promotion',
  'memory_write',
  'error',
]
const MAX_SINCE_SECS = 30 * 24 * 3600

const ActivityBody = z.object({
  activity_type: z.string().refine((type) => AGENT_ACTIVITY_TYPES.includes(type)),
  source_id: anyValue(),
  target_id: someText(),
  method: someText(),
  summary: someText(),
  request_body: anyValue(),
  metadata: anyValue(),
  response_body: anyValue(),
  tool_trace: anyValue(),
  duration_ms: someNumber(),
  status: someText(),
  error_detail: someText(),
})

const Attachment = z.object({
  uri: z.string().min(1),
  name: z.string().min(1),
  mimeType: z.string().optional().catch(undefined),
  size: someNumber(),
})

const NotifyBody = z.object({
  message: z.string().min(1),
  // Anything but an array counts as no attachments; a bad item of an array is refused by its index.
  attachments: z.preprocess((value) => (Array.isArray(value) ? value : []), z.array(Attachment)),
})

/** Moves the workspace's inbox read mark past the newest inbox row a read returned (the console's inbox depth). */
function markInboxRead(state: PlatformState, id: string, rows: ActivityRow[]): void {
  let newest = 0
  for (const row of rows) if (row.activity_type === 'a2a_receive' && row.seq > newest) newest = row.seq
  const ws = state.get(id)
  if (!ws || newest <= ws.inbox_read_seq) return
  ws.inbox_read_seq = newest
  state.changes.notify('inbox-read', id)
}

/** What agents report (activity rows), the inbox they read back, and agent → human messages. */
export function activityRoutes({ state }: RouteContext): Hono {
  const app = new Hono()

  // POST /workspaces/:id/activity: an agent reports what it did; the row is written as coming from `:id`.
  app.post(
    '/activity',
    jsonBody(ActivityBody, (problem) =>
      fieldOf(problem) === 'activity_type'
        ? { error: `invalid activity_type, must be one of: ${AGENT_ACTIVITY_TYPES.join(', ')}` }
        : { error: 'invalid request body' },
    ),
    (c) => {
      const id = c.req.param('id') ?? ''
      const body = c.req.valid('json')
      if (
        body.source_id !== undefined &&
        body.source_id !== null &&
        body.source_id !== '' &&
        body.source_id !== id
      ) {
        return errorJson(c, 403, 'source_id must match authenticated workspace')
      }
      state.recordActivity({
        workspace_id: id,
        activity_type: body.activity_type,
        source_id: id,
        target_id: body.target_id ?? null,
        method: body.method ?? null,
        summary: body.summary ?? null,
        request_body: body.request_body ?? body.metadata ?? null,
        response_body: body.response_body ?? null,
        tool_trace: body.tool_trace ?? null,
        duration_ms: body.duration_ms ?? null,
        status: body.status ?? 'ok',
        error_detail: body.error_detail ?? null,
      })
      return c.json({ status: 'logged' })
    },
  )

  // GET /workspaces/:id/activity: activity and inbox reads; `since_id` is the cursor the poll-mode inbox uses.
  app.get('/activity', (c) => {
    const id = c.req.param('id') ?? ''
    const source = c.req.query('source')
    if (source !== undefined && source !== 'canvas' && source !== 'agent') {
      return errorJson(c, 400, "source must be 'canvas' or 'agent'")
    }
    const sinceSecsRaw = c.req.query('since_secs')
    let sinceMs: number | undefined
    if (sinceSecsRaw !== undefined) {
      const secs = Number(sinceSecsRaw)
      if (!Number.isInteger(secs) || secs < 1)
        return errorJson(c, 400, 'since_secs must be a positive integer')
      sinceMs = state.now() - Math.min(secs, MAX_SINCE_SECS) * 1000
    }
    const peerId = c.req.query('peer_id')
    if (peerId !== undefined && !isUuid(peerId)) return errorJson(c, 400, 'peer_id must be a valid UUID')
    const beforeRaw = c.req.query('before_ts')
    let beforeMs: number | undefined
    if (beforeRaw !== undefined) {
      beforeMs = Date.parse(beforeRaw)
      if (Number.isNaN(beforeMs)) return errorJson(c, 400, 'before_ts must be an RFC 3339 timestamp')
    }
    const sinceId = c.req.query('since_id')
    const rows = state.activity.query(id, {
      limit: limitParam(c.req.query('limit'), 100, 500),
      ...(c.req.query('type') ? { type: c.req.query('type') } : {}),
      ...(source ? { source } : {}),
      ...(sinceId !== undefined ? { sinceId } : {}),
      ...(sinceMs !== undefined ? { sinceMs } : {}),
      ...(peerId ? { peerId } : {}),
      ...(beforeMs !== undefined ? { beforeMs } : {}),
    })
    if (!rows) {
      return errorJson(c, 410, `since_id cursor not found (${sinceId}); omit since_id to reset`)
    }
    markInboxRead(state, id, rows)
    return c.json(rows.map(ActivityLog.describe))
  })

  // POST /workspaces/:id/notify: agent → human message; an inbox-visible `notify` row, broadcast to observers.
  app.post(
    '/notify',
    jsonBody(NotifyBody, (problem) =>
      fieldOf(problem) === 'attachments'
        ? { error: `attachment[${String(problem.issue?.path[1])}]: uri and name are required` }
        : { error: 'message is required' },
    ),
    (c) => {
      const id = c.req.param('id') ?? ''
      const body = c.req.valid('json')
      const attachments = body.attachments.map((file) => ({
        uri: file.uri,
        name: file.name,
        ...(file.mimeType !== undefined ? { mimeType: file.mimeType } : {}),
        ...(file.size !== undefined ? { size: file.size } : {}),
      }))
      const ws = state.get(id)
      if (!ws || ws.status === 'removed') return errorJson(c, 404, 'workspace not found')
      if (!ws.talk_to_user_enabled) {
        return errorJson(c, 403, 'talk_to_user_disabled', {
          hint: 'this workspace may not message the user; delegate the reply to your parent workspace',
        })
      }
      const message = body.message
      state.events.emit(
        'AGENT_MESSAGE',
        id,
        { message, workspace_id: id, name: ws.name, ...(attachments.length ? { attachments } : {}) },
        false,
      )
      state.recordActivity(
        {
          workspace_id: id,
          activity_type: 'a2a_receive',
          method: 'notify',
          summary: `Agent message: ${message.length > 80 ? `${message.slice(0, 80)}…` : message}`,
          response_body: { result: message, parts: attachments.map((file) => ({ kind: 'file', file })) },
        },
        false,
      )
      return c.json({ status: 'sent' })
    },
  )

  return app
}
