import { isoTime, isUuid } from '../ids.js'
import { preview } from '../reply-text.js'
import { errorJson, gateResponse, isRecord, type RouteInstaller, readJson } from './route-context.js'

const str = (v: unknown): string | undefined => (typeof v === 'string' && v ? v : undefined)

export const installDelegationRoutes: RouteInstaller = (app, { state, gates, delegations }) => {
  // D1: platform-managed delegation.
  app.post('/workspaces/:id/delegate', async (c) => {
    const id = c.req.param('id')
    const denied = gateResponse(c, gates.workspace(c, id))
    if (denied) return denied
    const body = await readJson(c)
    const targetId = isRecord(body) ? str(body.target_id) : undefined
    const task = isRecord(body) ? str(body.task) : undefined
    if (!isRecord(body) || !targetId || !task) return errorJson(c, 400, 'invalid delegation request')
    if (!isUuid(targetId)) return errorJson(c, 400, 'target_id must be a valid UUID')
    if (targetId === id) return errorJson(c, 400, 'self-delegation not permitted')
    const result = delegations.delegate(id, targetId, task, str(body.idempotency_key))
    return c.json(result, result.idempotent_hit ? 200 : 202)
  })

  // D2: newest-first delegation rows (requests and results).
  app.get('/workspaces/:id/delegations', (c) => {
    const id = c.req.param('id')
    const denied = gateResponse(c, gates.workspace(c, id))
    if (denied) return denied
    const rows = state.activity.rows
      .filter(
        (row) => row.workspace_id === id && (row.method === 'delegate' || row.method === 'delegate_result'),
      )
      .reverse()
      .slice(0, 50)
    return c.json(
      rows.map((row) => {
        const text = (row.response_body as { text?: unknown } | null)?.text
        return {
          id: row.id,
          type: 'delegation',
          source_id: row.source_id,
          target_id: row.target_id,
          summary: row.summary,
          status: row.status,
          created_at: isoTime(row.created_at),
          ...(row.delegation_id ? { delegation_id: row.delegation_id } : {}),
          ...(row.error_detail ? { error: row.error_detail, error_detail: row.error_detail } : {}),
          ...(typeof text === 'string' && text ? { response_preview: preview(text, 300) } : {}),
        }
      }),
    )
  })

  // D3: agent-managed delegation record.
  app.post('/workspaces/:id/delegations/record', async (c) => {
    const id = c.req.param('id')
    const denied = gateResponse(c, gates.workspace(c, id))
    if (denied) return denied
    const body = await readJson(c)
    if (!isRecord(body) || !str(body.target_id) || !str(body.task) || !str(body.delegation_id)) {
      return errorJson(c, 400, 'invalid request body')
    }
    if (!isUuid(body.target_id)) return errorJson(c, 400, 'target_id must be a valid UUID')
    const delegationId = body.delegation_id as string
    delegations.record(id, body.target_id, body.task as string, delegationId)
    return c.json({ delegation_id: delegationId, status: 'recorded' }, 202)
  })

  // D4: agent-managed delegation outcome.
  app.post('/workspaces/:id/delegations/:delegationId/update', async (c) => {
    const id = c.req.param('id')
    const denied = gateResponse(c, gates.workspace(c, id))
    if (denied) return denied
    const body = await readJson(c)
    if (!isRecord(body)) return errorJson(c, 400, 'invalid request body')
    if (body.status !== 'completed' && body.status !== 'failed') {
      return errorJson(c, 400, "status must be 'completed' or 'failed'")
    }
    const delegationId = c.req.param('delegationId')
    delegations.update(id, delegationId, body.status, str(body.error) ?? '', str(body.response_preview) ?? '')
    return c.json({ status: body.status, delegation_id: delegationId })
  })
}
