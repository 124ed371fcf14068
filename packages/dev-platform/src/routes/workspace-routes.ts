import { Hono, type MiddlewareHandler } from 'hono'
import { z } from 'zod'
import { textMessageSend } from '../a2a-proxy.js'
import { subtreeOf } from '../hierarchy.js'
import { isoTime, isUuid, newId } from '../ids.js'
import type { PlatformState } from '../platform-state.js'
import { describeWorkspace, type Workspace } from '../workspace.js'
import { jsonBody } from './json-body.js'
import { anyValue, someBoolean, someNumber, someString, someText } from './lenient-fields.js'
import { errorJson, type RouteContext, sendJson } from './route-context.js'

const MAX_A2A_BODY_BYTES = 1024 * 1024

/** Every field is optional; one of the wrong type is ignored. `parent_id` is checked against the tree by the route. */
const PatchBody = z.object({
  parent_id: anyValue(),
  name: someText(),
  role: someString(),
  tier: someNumber(),
  runtime: someString(),
  workspace_dir: someString(),
  collapsed: someBoolean(),
  x: someNumber(),
  y: someNumber(),
  max_concurrent_tasks: z.number().positive().optional().catch(undefined),
  budget_limit: z.number().nullable().optional().catch(undefined),
  delivery_mode: z.enum(['push', 'poll']).optional().catch(undefined),
  broadcast_enabled: someBoolean(),
  talk_to_user_enabled: someBoolean(),
})

const BroadcastBody = z.object({ message: z.string().refine((text) => text.trim() !== '') })

declare module 'hono' {
  interface ContextVariableMap {
    /** The live (not removed) workspace `:id`, set by `liveWorkspace`. */
    workspace: Workspace
  }
}

/** 404 `workspace not found` for a missing or removed `:id`, before the body is looked at. */
function liveWorkspace(state: PlatformState): MiddlewareHandler {
  return async (c, next) => {
    const ws = state.get(c.req.param('id') ?? '')
    if (!ws || ws.status === 'removed') return errorJson(c, 404, 'workspace not found')
    c.set('workspace', ws)
    await next()
  }
}

/** One workspace: its card, its settings, its lifecycle, and the A2A proxy in front of its agent. */
export function workspaceRoutes({ state, proxy }: RouteContext): Hono {
  const app = new Hono()

  // GET /workspaces/:id: the public card; removed workspaces answer 410 unless `include_removed=true`.
  app.get('/', (c) => {
    const id = c.req.param('id') ?? ''
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

  // PATCH /workspaces/:id: settings and place in the tree (tests build hierarchies with it).
  app.patch(
    '/',
    liveWorkspace(state),
    jsonBody(PatchBody, () => ({ error: 'invalid request body' })),
    (c) => {
      const ws = c.get('workspace')
      const body = c.req.valid('json')
      if (body.parent_id !== undefined) {
        const parentId = body.parent_id
        if (parentId !== null && (typeof parentId !== 'string' || !state.get(parentId))) {
          return errorJson(c, 400, 'invalid parent_id', {
            detail: 'parent_id must be null or an existing workspace id',
          })
        }
        if (
          typeof parentId === 'string' &&
          subtreeOf([...state.workspaces.values()], ws.id).some((w) => w.id === parentId)
        ) {
          return errorJson(c, 400, 'invalid parent_id', {
            detail: 'a workspace cannot become its own descendant',
          })
        }
        ws.parent_id = parentId
      }
      if (body.name !== undefined) ws.name = body.name
      if (body.role !== undefined) ws.role = body.role || null
      if (body.tier !== undefined) ws.tier = body.tier
      if (body.runtime !== undefined) ws.runtime = body.runtime
      if (body.workspace_dir !== undefined) ws.workspace_dir = body.workspace_dir
      if (body.collapsed !== undefined) ws.collapsed = body.collapsed
      if (body.x !== undefined && body.y !== undefined) {
        ws.x = body.x
        ws.y = body.y
      }
      if (body.max_concurrent_tasks !== undefined) ws.max_concurrent_tasks = body.max_concurrent_tasks
      if (body.budget_limit !== undefined) ws.budget_limit = body.budget_limit
      if (body.delivery_mode !== undefined) ws.delivery_mode = body.delivery_mode
      if (body.broadcast_enabled !== undefined) ws.broadcast_enabled = body.broadcast_enabled
      if (body.talk_to_user_enabled !== undefined) ws.talk_to_user_enabled = body.talk_to_user_enabled
      ws.updated_at = state.now()
      return c.json({ status: 'updated' })
    },
  )

  // GET /workspaces/:id/state: lifecycle polling for remote agents (404 with `deleted: true` once it is gone).
  app.get('/state', (c) => {
    const id = c.req.param('id') ?? ''
    const ws = state.get(id)
    if (!ws) return c.json({ workspace_id: id, deleted: true }, 404)
    if (ws.status === 'removed') return c.json({ workspace_id: id, status: 'removed', deleted: true }, 404)
    return c.json({ workspace_id: id, status: ws.status, paused: ws.status === 'paused', deleted: false })
  })

  // POST /workspaces/:id/a2a: the A2A proxy. The body is any JSON (the proxy normalises the JSON-RPC envelope).
  app.post('/a2a', async (c) => {
    const buffer = await c.req.arrayBuffer()
    const text = new TextDecoder().decode(buffer.slice(0, MAX_A2A_BODY_BYTES))
    let parsed: unknown
    try {
      parsed = JSON.parse(text)
    } catch {
      return errorJson(c, 400, 'invalid JSON')
    }
    const result = await proxy.dispatch(c.req.param('id') ?? '', c.get('callerId'), parsed, {
      traceHeaders: traceHeadersOf(c.req.header('traceparent'), c.req.header('tracestate')),
    })
    for (const [name, value] of Object.entries(result.headers ?? {})) c.header(name, value)
    if (result.raw !== undefined) {
      return c.body(result.raw, result.status as 200, { 'Content-Type': 'application/json' })
    }
    return sendJson(c, result.status, result.body)
  })

  /** 403 unless the workspace may broadcast (checked before the body). */
  const mayBroadcast: MiddlewareHandler = async (c, next) => {
    if (!c.get('workspace').broadcast_enabled) {
      return errorJson(c, 403, 'broadcast not enabled for this workspace', {
        hint: `enable it with PATCH /workspaces/${c.get('workspace').id} {"broadcast_enabled":true}`,
      })
    }
    await next()
  }

  // POST /workspaces/:id/broadcast: one message to every other live workspace, bypassing the hierarchy.
  app.post(
    '/broadcast',
    liveWorkspace(state),
    mayBroadcast,
    jsonBody(BroadcastBody, () => ({ error: 'message is required' })),
    async (c) => {
      const id = c.get('workspace').id
      const text = c.req.valid('json').message
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
    },
  )

  return app
}

/** The W3C trace context headers of a request, to forward with it (nothing else of the caller's is forwarded). */
function traceHeadersOf(
  traceparent: string | undefined,
  tracestate: string | undefined,
): Record<string, string> {
  const headers: Record<string, string> = {}
  if (traceparent) headers.traceparent = traceparent
  if (traceparent && tracestate) headers.tracestate = tracestate
  return headers
}
