import { Hono } from 'hono'
import { z } from 'zod'
import { decideApproval, expireApprovals } from '../approval-decisions.js'
import { isoTime, newId } from '../ids.js'
import type { ApprovalRecord } from '../platform-state.js'
import { adminAuth } from './auth-middleware.js'
import { jsonBody } from './json-body.js'
import { anyValue, someString, someText } from './lenient-fields.js'
import { errorJson, type RouteContext } from './route-context.js'

const iso = (ms: number | null) => (ms === null ? null : isoTime(ms))

const RequestBody = z.object({
  action: z.string().min(1),
  task_id: someString(),
  reason: someString(),
  context: anyValue(),
})

const DecideBody = z.object({ decision: z.enum(['approved', 'denied']), decided_by: someText() })

/**
 * Human approvals: an agent asks (`POST /workspaces/:id/approvals`), a human decides (`…/decide`, the route the
 * runtime's Slack and e-mail notifications and the dev console use); requests nobody decides expire as denied.
 */
export function approvalRoutes(ctx: RouteContext): Hono {
  const { state, options } = ctx
  const app = new Hono()

  // POST /workspaces/:id/approvals: ask for a human decision; the parent workspace hears of it too.
  app.post(
    '/workspaces/:id/approvals',
    jsonBody(RequestBody, () => ({ error: 'invalid request body' })),
    (c) => {
      const id = c.req.param('id')
      const body = c.req.valid('json')
      const approval: ApprovalRecord = {
        id: newId(),
        workspace_id: id,
        task_id: body.task_id ?? null,
        action: body.action,
        reason: body.reason ?? null,
        context: body.context ?? null,
        status: 'pending',
        decided_by: null,
        decided_at: null,
        created_at: state.now(),
      }
      state.approvals.set(approval.id, approval)
      state.events.emit('APPROVAL_REQUESTED', id, {
        approval_id: approval.id,
        action: approval.action,
        reason: approval.reason,
        task_id: approval.task_id,
      })
      const parentId = state.get(id)?.parent_id
      if (parentId) {
        state.events.emit('APPROVAL_ESCALATED', parentId, {
          approval_id: approval.id,
          from_workspace_id: id,
          action: approval.action,
          reason: approval.reason,
        })
      }
      return c.json({ approval_id: approval.id, status: 'pending' }, 201)
    },
  )

  // GET /workspaces/:id/approvals: the workspace's newest 50 approvals.
  app.get('/workspaces/:id/approvals', (c) => {
    const id = c.req.param('id')
    const rows = [...state.approvals.values()]
      .filter((a) => a.workspace_id === id)
      .reverse()
      .slice(0, 50)
    return c.json(
      rows.map((a) => ({
        id: a.id,
        task_id: a.task_id,
        action: a.action,
        reason: a.reason,
        status: a.status,
        decided_by: a.decided_by,
        decided_at: iso(a.decided_at),
        created_at: isoTime(a.created_at),
      })),
    )
  })

  // POST /workspaces/:id/approvals/:approvalId/decide: a human approves or denies a pending request.
  app.post(
    '/workspaces/:id/approvals/:approvalId/decide',
    jsonBody(DecideBody, () => ({ error: "decision must be 'approved' or 'denied'" })),
    (c) => {
      const { decision, decided_by } = c.req.valid('json')
      const approval = state.approvals.get(c.req.param('approvalId'))
      if (!approval || approval.workspace_id !== c.req.param('id') || approval.status !== 'pending') {
        return errorJson(c, 404, 'approval not found or already decided')
      }
      decideApproval(state, approval, decision, decided_by ?? 'human')
      return c.json({ status: decision, approval_id: approval.id })
    },
  )

  // GET /approvals/pending: pending approvals of every workspace (operator view); stale ones are auto-denied first.
  app.get('/approvals/pending', adminAuth(ctx), (c) => {
    expireApprovals(state, options.approvalExpiryMs)
    const rows = [...state.approvals.values()]
      .filter((a) => a.status === 'pending')
      .reverse()
      .slice(0, 50)
    return c.json(
      rows.map((a) => ({
        id: a.id,
        workspace_id: a.workspace_id,
        workspace_name: state.get(a.workspace_id)?.name ?? null,
        action: a.action,
        reason: a.reason,
        status: a.status,
        created_at: isoTime(a.created_at),
      })),
    )
  })

  return app
}
