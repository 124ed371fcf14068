import { textMessageSend } from '../a2a-proxy.js'
import { bearerOf } from '../auth-gates.js'
import { isoTime, isUuid, newId } from '../ids.js'
import type { PlatformState } from '../platform-state.js'
import { describeWorkspace } from '../workspace.js'
import {
  errorJson,
  gateResponse,
  isRecord,
  type RouteInstaller,
  readJson,
  sendJson,
} from './route-context.js'

const MAX_A2A_BODY_BYTES = 1024 * 1024

function workspaceOfBearer(state: PlatformState, token: string | undefined): string | undefined {
  return token ? state.tokens.lookup(token)?.workspaceId : undefined
}

export const installWorkspaceRoutes: RouteInstaller = (app, { state, gates, proxy }) => {
  // W1: open, like upstream; removed workspaces answer 410 (upstream's later behaviour).
  app.get('/workspaces/:id', (c) => {
    const id = c.req.param('id')
    if (!isUuid(id)) return errorJson(c, 400, 'invalid workspace ID')
    const ws = state.get(id)
    if (!ws) return errorJson(c, 404, 'workspace not found')
    if (ws.status === 'removed' && c.req.query('include_removed') !== 'true') {
      return c.json(
        {
          id: ws.id,
          removed_at: ws.removed_at === null ? null : isoTime(ws.removed_at),
          hint: 'this workspace was deleted; create or register a new one',
        },
        410,
      )
    }
    return c.json(describeWorkspace(ws))
  })

  // W2: lifecycle polling for remote agents.
  app.get('/workspaces/:id/state', (c) => {
    const id = c.req.param('id')
    const denied = gateResponse(c, gates.workspace(c, id) ?? gates.bootOrBearer(c, id))
    if (denied) return denied
    const ws = state.get(id)
    if (!ws) return c.json({ workspace_id: id, deleted: true }, 404)
    if (ws.status === 'removed') return c.json({ workspace_id: id, status: 'removed', deleted: true }, 404)
    return c.json({ workspace_id: id, status: ws.status, paused: ws.status === 'paused', deleted: false })
  })

  // A1: the A2A proxy. No X-Workspace-ID = a canvas/user caller, which needs no credentials at all.
  app.post('/workspaces/:id/a2a', async (c) => {
    const targetId = c.req.param('id')
    // Bridges of the poll era identify themselves with X-Source-Workspace-Id (upstream ignored it); newer
    // servers also derive the caller from a workspace bearer sent without any caller header.
    const callerId =
      c.req.header('X-Workspace-ID') ||
      c.req.header('X-Source-Workspace-Id') ||
      workspaceOfBearer(state, bearerOf(c)) ||
      null
    if (callerId && callerId !== targetId) {
      const denied = gateResponse(c, gates.bootOrBearer(c, callerId, 'caller'))
      if (denied) return denied
    }
    const buffer = await c.req.arrayBuffer()
    const text = new TextDecoder().decode(buffer.slice(0, MAX_A2A_BODY_BYTES))
    let parsed: unknown
    try {
      parsed = JSON.parse(text)
    } catch {
      return errorJson(c, 400, 'invalid JSON')
    }
    const result = await proxy.dispatch(targetId, callerId, parsed)
    for (const [name, value] of Object.entries(result.headers ?? {})) c.header(name, value)
    if (result.raw !== undefined) {
      return c.body(result.raw, result.status as 200, { 'Content-Type': 'application/json' })
    }
    return sendJson(c, result.status, result.body)
  })

  // Broadcast: one message to every other live workspace (the platform's org), bypassing the hierarchy.
  app.post('/workspaces/:id/broadcast', async (c) => {
    const id = c.req.param('id')
    const denied = gateResponse(c, gates.workspace(c, id))
    if (denied) return denied
    const ws = state.get(id)
    if (!ws || ws.status === 'removed') return errorJson(c, 404, 'workspace not found')
    if (!ws.broadcast_enabled) {
      return errorJson(c, 403, 'broadcast not enabled for this workspace', {
        hint: `enable it with PATCH /workspaces/${id} {"broadcast_enabled":true}`,
      })
    }
    const body = await readJson(c)
    if (!isRecord(body) || typeof body.message !== 'string' || !body.message.trim()) {
      return errorJson(c, 400, 'message is required')
    }
    const text = body.message
    const targets = [...state.workspaces.values()].filter((w) => w.id !== id && w.status !== 'removed')
    const results = await Promise.all(
      targets.map((target) =>
        proxy.dispatch(
          target.id,
          id,
          textMessageSend(text, newId(), { broadcast: true, source_workspace_id: id }),
          { bypassHierarchy: true },
        ),
      ),
    )
    const delivered = results.filter((r) => r.status < 300).length
    return c.json({ status: 'sent', delivered, targets: targets.length })
  })
}
