import { z } from 'zod'
import { EventBus } from '../event-bus.js'
import { subtreeOf } from '../hierarchy.js'
import { isUuid } from '../ids.js'
import { TokenStore } from '../token-store.js'
import { describeWorkspaceFull } from '../workspace.js'
import { createWorkspaceRecord } from '../workspace-factory.js'
import {
  errorJson,
  gateResponse,
  isRecord,
  limitParam,
  type RouteInstaller,
  readJson,
} from './route-context.js'

const MAX_LIVE_TOKENS = 50

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

export const installHarnessRoutes: RouteInstaller = (app, { state, gates, logger }) => {
  app.get('/health', (c) => c.json({ status: 'ok' }))

  // H1: create a workspace (container-style, or external with/without URL).
  app.post('/workspaces', async (c) => {
    const denied = gateResponse(c, gates.admin(c))
    if (denied) return denied
    const raw = await readJson(c)
    if (raw === undefined) return errorJson(c, 400, 'invalid workspace payload')
    const parsed = CreateBody.safeParse(raw)
    if (!parsed.success) {
      const issue = parsed.error.issues[0]
      return errorJson(c, 400, 'invalid workspace fields', {
        detail: `${issue?.path.join('.')}: ${issue?.message}`,
      })
    }
    const body = parsed.data
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
    } as Parameters<typeof createWorkspaceRecord>[1])
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

  // H4: patch fields (used to build hierarchies).
  app.patch('/workspaces/:id', async (c) => {
    const id = c.req.param('id')
    const denied = gateResponse(c, gates.workspace(c, id))
    if (denied) return denied
    const ws = state.get(id)
    if (!ws || ws.status === 'removed') return errorJson(c, 404, 'workspace not found')
    const body = await readJson(c)
    if (!isRecord(body)) return errorJson(c, 400, 'invalid request body')
    if ('parent_id' in body) {
      const parentId = body.parent_id
      if (parentId !== null && (typeof parentId !== 'string' || !state.get(parentId))) {
        return errorJson(c, 400, 'invalid parent_id', {
          detail: 'parent_id must be null or an existing workspace id',
        })
      }
      if (
        typeof parentId === 'string' &&
        subtreeOf([...state.workspaces.values()], id).some((w) => w.id === parentId)
      ) {
        return errorJson(c, 400, 'invalid parent_id', {
          detail: 'a workspace cannot become its own descendant',
        })
      }
      ws.parent_id = parentId
    }
    if (typeof body.name === 'string' && body.name) ws.name = body.name
    if (typeof body.role === 'string') ws.role = body.role || null
    if (typeof body.tier === 'number') ws.tier = body.tier
    if (typeof body.runtime === 'string') ws.runtime = body.runtime
    if (typeof body.workspace_dir === 'string') ws.workspace_dir = body.workspace_dir
    if (typeof body.collapsed === 'boolean') ws.collapsed = body.collapsed
    if (typeof body.x === 'number' && typeof body.y === 'number') {
      ws.x = body.x
      ws.y = body.y
    }
    if (typeof body.max_concurrent_tasks === 'number' && body.max_concurrent_tasks > 0) {
      ws.max_concurrent_tasks = body.max_concurrent_tasks
    }
    if (typeof body.budget_limit === 'number' || body.budget_limit === null)
      ws.budget_limit = body.budget_limit
    if (body.delivery_mode === 'push' || body.delivery_mode === 'poll') ws.delivery_mode = body.delivery_mode
    if (typeof body.broadcast_enabled === 'boolean') ws.broadcast_enabled = body.broadcast_enabled
    if (typeof body.talk_to_user_enabled === 'boolean') ws.talk_to_user_enabled = body.talk_to_user_enabled
    ws.updated_at = state.now()
    return c.json({ status: 'updated' })
  })

  // H2: delete a workspace and its subtree.
  app.delete('/workspaces/:id', (c) => {
    const denied = gateResponse(c, gates.admin(c))
    if (denied) return denied
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

  // T1: workspace tokens.
  app.get('/workspaces/:id/tokens', (c) => {
    const id = c.req.param('id')
    const denied = gateResponse(c, gates.workspace(c, id))
    if (denied) return denied
    const limit = limitParam(c.req.query('limit'), 50, 200)
    const offset = Math.max(0, Number(c.req.query('offset')) || 0)
    const live = state.tokens.live(id)
    return c.json({ tokens: live.slice(offset, offset + limit).map(TokenStore.describe), count: live.length })
  })

  app.post('/workspaces/:id/tokens', (c) => {
    const id = c.req.param('id')
    const denied = gateResponse(c, gates.workspace(c, id))
    if (denied) return denied
    const ws = state.get(id)
    if (!ws || ws.status === 'removed') return errorJson(c, 404, 'workspace not found')
    if (state.tokens.liveCount(id) >= MAX_LIVE_TOKENS) {
      return errorJson(c, 429, `maximum ${MAX_LIVE_TOKENS} active tokens per workspace`)
    }
    const { token } = state.tokens.mint(id)
    return c.json(
      { auth_token: token, workspace_id: id, message: 'Store this token now: it cannot be shown again.' },
      201,
    )
  })

  app.delete('/workspaces/:id/tokens/:tokenId', (c) => {
    const id = c.req.param('id')
    const denied = gateResponse(c, gates.workspace(c, id))
    if (denied) return denied
    if (!state.tokens.revoke(id, c.req.param('tokenId'))) {
      return errorJson(c, 404, 'token not found or already revoked')
    }
    return c.json({ status: 'revoked' })
  })

  // H3: extra token for tests.
  app.get('/admin/workspaces/:id/test-token', (c) => {
    const denied = gateResponse(c, gates.admin(c))
    if (denied) return denied
    const ws = state.get(c.req.param('id'))
    if (!ws || ws.status === 'removed') return errorJson(c, 404, 'workspace not found')
    return c.json({ auth_token: state.tokens.mint(ws.id).token, workspace_id: ws.id })
  })

  // H5: admin reads.
  app.get('/workspaces', (c) => {
    const denied = gateResponse(c, gates.admin(c))
    if (denied) return denied
    return c.json(
      [...state.workspaces.values()].filter((w) => w.status !== 'removed').map(describeWorkspaceFull),
    )
  })

  app.get('/events', (c) => {
    const denied = gateResponse(c, gates.admin(c))
    if (denied) return denied
    return c.json(state.events.recorded.slice(-100).reverse().map(EventBus.describe))
  })

  app.get('/events/:workspaceId', (c) => {
    const denied = gateResponse(c, gates.admin(c))
    if (denied) return denied
    const id = c.req.param('workspaceId')
    const rows = state.events.recorded.filter((e) => e.workspaceId === id)
    return c.json(rows.slice(-100).reverse().map(EventBus.describe))
  })
}
