import { ActivityLog } from '../activity-log.js'
import { isUuid } from '../ids.js'
import {
  errorJson,
  gateResponse,
  isRecord,
  limitParam,
  type RouteInstaller,
  readJson,
} from './route-context.js'

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

interface Attachment {
  uri: string
  name: string
  mimeType?: string
  size?: number
}

export const installActivityRoutes: RouteInstaller = (app, { state, gates }) => {
  // AC1: agent-reported activity.
  app.post('/workspaces/:id/activity', async (c) => {
    const id = c.req.param('id')
    const denied = gateResponse(c, gates.workspace(c, id))
    if (denied) return denied
    const body = await readJson(c)
    if (!isRecord(body)) return errorJson(c, 400, 'invalid request body')
    if (typeof body.activity_type !== 'string' || !AGENT_ACTIVITY_TYPES.includes(body.activity_type)) {
      return errorJson(c, 400, `invalid activity_type, must be one of: ${AGENT_ACTIVITY_TYPES.join(', ')}`)
    }
    if (
      body.source_id !== undefined &&
      body.source_id !== null &&
      body.source_id !== '' &&
      body.source_id !== id
    ) {
      return errorJson(c, 403, 'source_id must match authenticated workspace')
    }
    const str = (v: unknown) => (typeof v === 'string' && v ? v : null)
    state.recordActivity({
      workspace_id: id,
      activity_type: body.activity_type,
      source_id: id,
      target_id: str(body.target_id),
      method: str(body.method),
      summary: str(body.summary),
      request_body: body.request_body ?? body.metadata ?? null,
      response_body: body.response_body ?? null,
      tool_trace: body.tool_trace ?? null,
      duration_ms: typeof body.duration_ms === 'number' ? body.duration_ms : null,
      status: str(body.status) ?? 'ok',
      error_detail: str(body.error_detail),
    })
    return c.json({ status: 'logged' })
  })

  // AC2: activity / inbox reads with the cursor of the poll era.
  app.get('/workspaces/:id/activity', (c) => {
    const id = c.req.param('id')
    const denied = gateResponse(c, gates.workspace(c, id))
    if (denied) return denied
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
    return c.json(rows.map(ActivityLog.describe))
  })

  // N1: agent → human message; persisted as an inbox-visible `notify` row and broadcast.
  app.post('/workspaces/:id/notify', async (c) => {
    const id = c.req.param('id')
    const denied = gateResponse(c, gates.workspace(c, id))
    if (denied) return denied
    const body = await readJson(c)
    if (!isRecord(body) || typeof body.message !== 'string' || !body.message) {
      return errorJson(c, 400, 'message is required')
    }
    const attachments: Attachment[] = []
    const raw = Array.isArray(body.attachments) ? body.attachments : []
    for (const [index, item] of raw.entries()) {
      if (
        !isRecord(item) ||
        typeof item.uri !== 'string' ||
        !item.uri ||
        typeof item.name !== 'string' ||
        !item.name
      ) {
        return errorJson(c, 400, `attachment[${index}]: uri and name are required`)
      }
      attachments.push({
        uri: item.uri,
        name: item.name,
        ...(typeof item.mimeType === 'string' ? { mimeType: item.mimeType } : {}),
        ...(typeof item.size === 'number' ? { size: item.size } : {}),
      })
    }
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
  })
}
