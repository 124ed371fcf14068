import { Hono } from 'hono'
import { z } from 'zod'
import { isoTime, isUuid } from '../ids.js'
import { preview } from '../reply-text.js'
import { fieldOf, jsonBody } from './json-body.js'
import { someText } from './lenient-fields.js'
import { errorJson, type RouteContext } from './route-context.js'

const DelegateBody = z.object({
  target_id: z.string().min(1),
  task: z.string().min(1),
  idempotency_key: someText(),
})

const RecordBody = z.object({
  target_id: z.string().min(1),
  task: z.string().min(1),
  delegation_id: z.string().min(1),
})

const UpdateBody = z.object({
  status: z.enum(['completed', 'failed']),
  error: someText(),
  response_preview: someText(),
})

const invalidBody = () => ({ error: 'invalid request body' })

/**
 * Delegations: run by the platform (`POST …/delegate`) or by the agent itself and only recorded here
 * (`POST …/delegations/record`, then `POST …/delegations/:delegationId/update`).
 */
export function delegationRoutes({ state, delegations }: RouteContext): Hono {
  const app = new Hono()

  // POST /workspaces/:id/delegate: answered at once (202), dispatched to the target in the background.
  app.post(
    '/delegate',
    jsonBody(DelegateBody, () => ({ error: 'invalid delegation request' })),
    (c) => {
      const id = c.req.param('id') ?? ''
      const body = c.req.valid('json')
      if (!isUuid(body.target_id)) return errorJson(c, 400, 'target_id must be a valid UUID')
      if (body.target_id === id) return errorJson(c, 400, 'self-delegation not permitted')
      const result = delegations.delegate(id, body.target_id, body.task, body.idempotency_key)
      return c.json(result, result.idempotent_hit ? 200 : 202)
    },
  )

  // GET /workspaces/:id/delegations: the newest 50 delegation rows (requests and results).
  app.get('/delegations', (c) => {
    const id = c.req.param('id') ?? ''
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

  // POST /workspaces/:id/delegations/record: a delegation the agent sends itself over direct A2A.
  app.post('/delegations/record', jsonBody(RecordBody, invalidBody), (c) => {
    const body = c.req.valid('json')
    if (!isUuid(body.target_id)) return errorJson(c, 400, 'target_id must be a valid UUID')
    delegations.record(c.req.param('id') ?? '', body.target_id, body.task, body.delegation_id)
    return c.json({ delegation_id: body.delegation_id, status: 'recorded' }, 202)
  })

  // POST /workspaces/:id/delegations/:delegationId/update: how the agent's own delegation ended.
  app.post(
    '/delegations/:delegationId/update',
    jsonBody(UpdateBody, (problem) =>
      fieldOf(problem) === 'status' ? { error: "status must be 'completed' or 'failed'" } : invalidBody(),
    ),
    (c) => {
      const body = c.req.valid('json')
      const delegationId = c.req.param('delegationId')
      delegations.update(
        c.req.param('id') ?? '',
        delegationId,
        body.status,
        body.error ?? '',
        body.response_preview ?? '',
      )
      return c.json({ status: body.status, delegation_id: delegationId })
    },
  )

  return app
}
