import { Hono } from 'hono'
import { z } from 'zod'
import { EventBus } from '../event-bus.js'
import { subtreeOf } from '../hierarchy.js'
import { isUuid } from '../ids.js'
import { describeWorkspaceFull } from '../workspace.js'
import { type CreateWorkspaceInput, createWorkspaceRecord } from '../workspace-factory.js'
import { adminAuth } from './auth-middleware.js'
import { type BodyProblem, jsonBody } from './json-body.js'
import { errorJson, type RouteContext } from './route-context.js'

const CreateBody = z.object({
  id: z.string().refine(isUuid, 'id must be a UUID').optional(),
  name: z.string().min(1),
  role: z.string().optional(),
  template: z.string().optional(),
  tier: z.number().int().min(0).optional(),
  model: z.string().optional(),
  runtime: z.string().optional(),
  external: z.boolean().optional(),
  url: z.string().optional(),
  workspace_dir: z.string().optional(),
  workspace_access: z.enum(['none', 'read_only', 'read_write']).optional(),
  parent_id: z.string().refine(isUuid, 'parent_id must be a UUID').nullable().optional(),
  budget_limit: z.number().int().min(0).nullable().optional(),
  max_concurrent_tasks: z.number().int().min(0).optional(),
  delivery_mode: z.enum(['push', 'poll']).optional(),
})

/** A body that is not JSON is `invalid workspace payload`; a field that fails is `invalid workspace fields`. */
const refuseCreate = ({ issue, body }: BodyProblem) =>
  body === undefined
    ? { error: 'invalid workspace payload' }
    : { error: 'invalid workspace fields', detail: `${issue?.path.join('.')}: ${issue?.message}` }

/**
 * What a test harness or an operator does: create, list and delete workspaces, mint test tokens, read the event log.
 * AdminAuth throughout (`DELETE /workspaces/:id` gets it from `workspaceAuth`).
 */
export function harnessRoutes(ctx: RouteContext): Hono {
  const { state, logger } = ctx
  const admin = adminAuth(ctx)
  const app = new Hono()

  app.get('/health', (c) => c.json({ status: 'ok' }))

  // POST /workspaces: a container-style workspace (provisioning until its agent registers) or an external one,
  // with a URL (online at once) or without (awaiting its agent, which gets the connection details and a token).
  app.post('/workspaces', admin, jsonBody(CreateBody, refuseCreate), (c) => {
    const body = c.req.valid('json')
    if (body.url && !/^https?:\/\//i.test(body.url)) {
      return errorJson(c, 400, 'invalid workspace fields', { detail: 'url: must be an http(s) URL' })
    }
    if (body.id && state.get(body.id)) return errorJson(c, 409, 'workspace already exists')
    if (body.parent_id && !state.get(body.parent_id)) {
      return errorJson(c, 400, 'invalid workspace fields', { detail: 'parent_id: no such workspace' })
    }
    const { workspace: ws, token } = createWorkspaceRecord(state, {
      ...body,
      ...(body.url === '' ? { url: undefined } : {}),
    } as CreateWorkspaceInput)
    logger.info({ workspaceId: ws.id, external: ws.external }, 'workspace created')
    if (!ws.external) {
      return c.json(
        {
          id: ws.id,
          status: 'provisioning',
          awareness_namespace: `workspace:${ws.id}`,
          workspace_access: body.workspace_access ?? 'none',
        },
        201,
      )
    }
    if (ws.url) return c.json({ id: ws.id, external: true, status: 'online' }, 201)
    const platformUrl = new URL(c.req.url).origin
    return c.json(
      {
        id: ws.id,
        external: true,
        status: 'awaiting_agent',
        connection: {
          workspace_id: ws.id,
          platform_url: platformUrl,
          auth_token: token,
          registry_endpoint: `${platformUrl}/registry/register`,
          heartbeat_endpoint: `${platformUrl}/registry/heartbeat`,
          curl_register_template: `curl -X POST ${platformUrl}/registry/register -H 'Content-Type: application/json' -H 'Authorization: Bearer <auth_token>' -d '{"id":"${ws.id}","delivery_mode":"poll","agent_card":{"name":"${ws.name}"}}'`,
          python_snippet: `import requests\nrequests.post("${platformUrl}/registry/register", headers={"Authorization": "Bearer <auth_token>"}, json={"id": "${ws.id}", "delivery_mode": "poll", "agent_card": {"name": "${ws.name}"}})`,
        },
      },
      201,
    )
  })

  // DELETE /workspaces/:id[?confirm=true][&purge=true]: removes the workspace and its subtree; tokens die with it.
  app.delete('/workspaces/:id', (c) => {
    const id = c.req.param('id')
    const ws = state.get(id)
    if (!ws) return errorJson(c, 404, 'workspace not found')
    const subtree = subtreeOf([...state.workspaces.values()], id).filter(
      (w) => w.status !== 'removed' || w.id === id,
    )
    const children = subtree.filter((w) => w.parent_id === id && w.status !== 'removed')
    if (children.length > 0 && c.req.query('confirm') !== 'true') {
      return c.json(
        {
          status: 'confirmation_required',
          message: `workspace has ${children.length} child workspace(s); repeat with ?confirm=true to delete them too`,
          children: children.map((w) => ({ id: w.id, name: w.name })),
          children_count: children.length,
        },
        409,
      )
    }
    const cascade = subtree.length - 1
    for (const member of subtree) {
      state.tokens.revokeAll(member.id)
      member.removed_at = state.now()
      state.setStatus(member, 'removed', member.id === id ? { cascade_deleted: cascade } : {})
    }
    state.queue.forEach((entry) => {
      if (subtree.some((w) => w.id === entry.workspace_id) && entry.status === 'queued')
        entry.status = 'failed'
    })
    if (c.req.query('purge') === 'true') {
      for (const member of subtree) state.workspaces.delete(member.id)
      return c.json({ status: 'purged', cascade_deleted: cascade })
    }
    return c.json({ status: 'removed', cascade_deleted: cascade })
  })

  // GET /admin/workspaces/:id/test-token: one more token for a workspace, for tests.
  app.get('/admin/workspaces/:id/test-token', admin, (c) => {
    const ws = state.get(c.req.param('id'))
    if (!ws || ws.status === 'removed') return errorJson(c, 404, 'workspace not found')
    return c.json({ auth_token: state.tokens.mint(ws.id).token, workspace_id: ws.id })
  })

  // GET /workspaces: every live workspace, all fields.
  app.get('/workspaces', admin, (c) =>
    c.json([...state.workspaces.values()].filter((w) => w.status !== 'removed').map(describeWorkspaceFull)),
  )

  // GET /events and GET /events/:workspaceId: the newest 100 recorded events, newest first.
  app.get('/events', admin, (c) => c.json(state.events.recorded.slice(-100).reverse().map(EventBus.describe)))

  app.get('/events/:workspaceId', admin, (c) => {
    const id = c.req.param('workspaceId')
    const rows = state.events.recorded.filter((e) => e.workspaceId === id)
    return c.json(rows.slice(-100).reverse().map(EventBus.describe))
  })

  return app
}
