import { isoTime, newId } from '../ids.js'
import type { ApprovalRecord } from '../platform-state.js'
import { errorJson, gateResponse, isRecord, type RouteInstaller, readJson } from './route-context.js'

const iso = (ms: number | null) => (ms === null ? null : isoTime(ms))

export const installApprovalRoutes: RouteInstaller = (app, { state, gates, options }) => {
  function decide(approval: ApprovalRecord, decision: 'approved' | 'denied', decidedBy: string): void {
    approval.status = decision
    approval.decided_by = decidedBy
    approval.decided_at = state.now()
    const payload = { approval_id: approval.id, decision, decided_by: decidedBy }
    state.events.emit(
      decision === 'approved' ? 'APPROVAL_APPROVED' : 'APPROVAL_DENIED',
      approval.workspace_id,
      payload,
    )
    // Compatibility name the upstream runtime waits for (upstream never sent it).
    state.events.emit(
      'APPROVAL_DECIDED',
      approval.workspace_id,
      { approval_id: approval.id, status: decision, decided_by: decidedBy },
      false,
    )
  }

  // P1: request a human decision.
  app.post('/workspaces/:id/approvals', async (c) => {
    const id = c.req.param('id')
    const denied = gateResponse(c, gates.workspace(c, id))
    if (denied) return denied
    const body = await readJson(c)
    if (!isRecord(body) || typeof body.action !== 'string' || !body.action) {
      return errorJson(c, 400, 'invalid request body')
    }
    const approval: ApprovalRecord = {
      id: newId(),
      workspace_id: id,
      task_id: typeof body.task_id === 'string' ? body.task_id : null,
      action: body.action,
      reason: typeof body.reason === 'string' ? body.reason : null,
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
  })

  // P2: the workspace's newest 50 approvals.
  app.get('/workspaces/:id/approvals', (c) => {
    const id = c.req.param('id')
    const denied = gateResponse(c, gates.workspace(c, id))
    if (denied) return denied
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

  // P3: a human decides.
  app.post('/workspaces/:id/approvals/:approvalId/decide', async (c) => {
    const id = c.req.param('id')
    const denied = gateResponse(c, gates.workspace(c, id))
    if (denied) return denied
    const body = await readJson(c)
    const decision = isRecord(body) ? body.decision : undefined
    if (decision !== 'approved' && decision !== 'denied') {
      return errorJson(c, 400, "decision must be 'approved' or 'denied'")
    }
    const approval = state.approvals.get(c.req.param('approvalId'))
    if (!approval || approval.workspace_id !== id || approval.status !== 'pending') {
      return errorJson(c, 404, 'approval not found or already decided')
    }
    const decidedBy =
      isRecord(body) && typeof body.decided_by === 'string' && body.decided_by ? body.decided_by : 'human'
    decide(approval, decision, decidedBy)
    return c.json({ status: decision, approval_id: approval.id })
  })

  // P4: pending approvals across workspaces; stale ones are auto-denied first.
  app.get('/approvals/pending', (c) => {
    const denied = gateResponse(c, gates.admin(c))
    if (denied) return denied
    const cutoff = state.now() - options.approvalExpiryMs
    for (const approval of state.approvals.values()) {
      if (approval.status === 'pending' && approval.created_at < cutoff)
        decide(approval, 'denied', 'auto-expired')
    }
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
}
