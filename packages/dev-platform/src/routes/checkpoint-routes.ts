import { Hono } from 'hono'
import { z } from 'zod'
import { isoTime, newId } from '../ids.js'
import type { CheckpointRecord } from '../platform-state.js'
import { jsonBody } from './json-body.js'
import { anyValue, someNumber } from './lenient-fields.js'
import { errorJson, type RouteContext } from './route-context.js'

const CheckpointBody = z.object({
  workflow_id: z.string().min(1),
  step_name: z.string().min(1),
  step_index: someNumber(),
  payload: anyValue(),
})

function describeCheckpoint(cp: CheckpointRecord) {
  return {
    id: cp.id,
    workspace_id: cp.workspace_id,
    workflow_id: cp.workflow_id,
    step_name: cp.step_name,
    step_index: cp.step_index,
    completed_at: isoTime(cp.completed_at),
    ...(cp.payload !== null && cp.payload !== undefined ? { payload: cp.payload } : {}),
  }
}

/** Workflow checkpoints: one row per (workflow, step), so a restarted agent can resume where it stopped. */
export function checkpointRoutes({ state }: RouteContext): Hono {
  const app = new Hono()

  // POST /workspaces/:id/checkpoints: records a finished step (a repeat of the same step replaces it).
  app.post(
    '/',
    jsonBody(CheckpointBody, () => ({ error: 'invalid request body' })),
    (c) => {
      const id = c.req.param('id') ?? ''
      const body = c.req.valid('json')
      const { workflow_id, step_name } = body
      let cp = state.checkpoints.find(
        (x) => x.workspace_id === id && x.workflow_id === workflow_id && x.step_name === step_name,
      )
      if (!cp) {
        cp = {
          id: newId(),
          workspace_id: id,
          workflow_id,
          step_name,
          step_index: 0,
          payload: null,
          completed_at: 0,
        }
        state.checkpoints.push(cp)
      }
      cp.step_index = body.step_index ?? 0
      cp.payload = body.payload ?? null
      cp.completed_at = state.now()
      return c.json({ id: cp.id, workspace_id: id, workflow_id, step_name }, 201)
    },
  )

  // GET /workspaces/:id/checkpoints/latest: the most recently completed step of any workflow.
  app.get('/latest', (c) => {
    const id = c.req.param('id') ?? ''
    const mine = state.checkpoints.filter((x) => x.workspace_id === id)
    const latest = mine.reduce<CheckpointRecord | undefined>(
      (best, x) => (!best || x.completed_at >= best.completed_at ? x : best),
      undefined,
    )
    if (!latest) return errorJson(c, 404, 'no checkpoints found for workspace')
    return c.json(describeCheckpoint(latest))
  })

  // GET /workspaces/:id/checkpoints/:wfid: one workflow's steps, highest step index first.
  app.get('/:wfid', (c) => {
    const id = c.req.param('id') ?? ''
    const rows = state.checkpoints
      .filter((x) => x.workspace_id === id && x.workflow_id === c.req.param('wfid'))
      .sort((a, b) => b.step_index - a.step_index)
    if (rows.length === 0) return errorJson(c, 404, 'no checkpoints found for workflow')
    return c.json(rows.map(describeCheckpoint))
  })

  // DELETE /workspaces/:id/checkpoints/:wfid: forgets a workflow.
  app.delete('/:wfid', (c) => {
    const id = c.req.param('id') ?? ''
    const wfid = c.req.param('wfid')
    const before = state.checkpoints.length
    const keep = state.checkpoints.filter((x) => !(x.workspace_id === id && x.workflow_id === wfid))
    const deleted = before - keep.length
    if (deleted === 0) return errorJson(c, 404, 'no checkpoints found for workflow')
    state.checkpoints.splice(0, before, ...keep)
    return c.json({ deleted, workflow_id: wfid })
  })

  return app
}
