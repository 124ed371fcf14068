import { zValidator } from '@hono/zod-validator'
import { type Env, Hono, type MiddlewareHandler } from 'hono'
import { z } from 'zod'
import { canCommunicate, peersOf } from '../hierarchy.js'
import { isoTime, isUuid } from '../ids.js'
import { deliveryModeOf, type Workspace } from '../workspace.js'
import { ownTokenAuth } from './auth-middleware.js'
import { type BodyProblem, describeIssue, type JsonInput, jsonBody } from './json-body.js'
import { errorJson, type RouteContext } from './route-context.js'

const RegisterBody = z.object({
  id: z.string().refine(isUuid, 'id must be a workspace UUID'),
  url: z.string().nullish(),
  // Required like upstream's binder (any JSON value, null included, but the key must be there).
  agent_card: z.unknown().refine((card) => card !== undefined, 'agent_card is required'),
  delivery_mode: z.string().nullish(),
})

/**
 * Lenient like upstream's binder: nulls and odd numbers are normalised rather than rejected. Like it, a fraction
 * in an int field (active_tasks, uptime_seconds, monthly_spend) fails decoding: 400.
 */
const HeartbeatBody = z.object({
  workspace_id: z.string().min(1),
  error_rate: z.number().nullish(),
  sample_error: z.string().nullish(),
  active_tasks: z.number().int().nullish(),
  uptime_seconds: z.number().int().nullish(),
  current_task: z.string().nullish(),
  monthly_spend: z.number().int().nullish(),
  runtime_state: z.string().nullish(),
  runtime_metadata: z
    .object({ capabilities: z.record(z.string(), z.unknown()).nullish() })
    .loose()
    .nullish(),
})

const UpdateCardBody = z.object({
  workspace_id: z.string(),
  agent_card: z.unknown().refine((card) => card !== undefined),
})

const CheckAccessBody = z.object({ caller_id: z.string(), target_id: z.string() })

const CallerHeader = z.object({ 'x-workspace-id': z.string().min(1) })

/** 400 `invalid request body`, with a `detail` naming the field (register and heartbeat). */
const withDetail = ({ issue }: BodyProblem) => ({
  error: 'invalid request body',
  detail: describeIssue(issue),
})
const plain = () => ({ error: 'invalid request body' })

function cardName(card: unknown): string | undefined {
  if (card === null || typeof card !== 'object' || Array.isArray(card)) return undefined
  const name = (card as { name?: unknown }).name
  return typeof name === 'string' && name ? name : undefined
}

function describePeer(ws: Workspace) {
  return {
    id: ws.id,
    name: ws.name,
    role: ws.role || null,
    tier: ws.tier,
    status: ws.status,
    url: ws.url,
    parent_id: ws.parent_id,
    active_tasks: ws.active_tasks,
    agent_card: ws.agent_card ?? null,
  }
}

/** Register, heartbeat, card updates, discovery and access checks: how agents join and find each other. */
export function registryRoutes(ctx: RouteContext): Hono {
  const { state, proxy, logger } = ctx
  const app = new Hono()

  /** A delivery mode the platform knows, and for push delivery a URL to push to; checked before the token. */
  const deliveryChecks: MiddlewareHandler<Env, string, JsonInput<typeof RegisterBody>> = async (c, next) => {
    const body = c.req.valid('json')
    if (body.delivery_mode != null && body.delivery_mode !== 'push' && body.delivery_mode !== 'poll') {
      return errorJson(c, 400, "delivery_mode must be 'push' or 'poll'")
    }
    const existing = state.get(body.id)
    const mode = body.delivery_mode ?? (existing ? deliveryModeOf(existing) : 'push')
    if (mode === 'push' && !/^https?:\/\/[^/\s]+/i.test(body.url?.trim() ?? '')) {
      return errorJson(c, 400, 'invalid request body', { detail: 'url: push delivery needs an http(s) URL' })
    }
    await next()
  }

  // POST /registry/register: the first register mints the workspace's token; status → online; push or poll delivery.
  app.post(
    '/register',
    jsonBody(RegisterBody, withDetail),
    deliveryChecks,
    ownTokenAuth<JsonInput<typeof RegisterBody>>(ctx, (c) => c.req.valid('json').id),
    (c) => {
      const body = c.req.valid('json')
      const existing = state.get(body.id)
      if (existing?.status === 'removed') {
        // Upstream answers 200 with a useless fresh token here; a clear 410 tells the agent to re-onboard.
        return errorJson(c, 410, 'workspace has been removed; create a new workspace', {
          id: existing.id,
          removed_at: existing.removed_at === null ? null : isoTime(existing.removed_at),
        })
      }
      const url = body.url?.trim() ?? ''
      const ws =
        existing ??
        state.add({ id: body.id, name: cardName(body.agent_card) ?? body.id, status: 'provisioning' })
      if (body.agent_card !== undefined) ws.agent_card = body.agent_card
      if (url) ws.url = url
      if (body.delivery_mode) ws.delivery_mode = body.delivery_mode as Workspace['delivery_mode']
      ws.last_heartbeat_at = state.now()
      ws.status = 'online'
      ws.status_since = state.now()
      ws.updated_at = state.now()
      state.events.emit('WORKSPACE_ONLINE', ws.id, { url: ws.url, agent_card: ws.agent_card })
      const response: Record<string, unknown> = { status: 'registered', delivery_mode: deliveryModeOf(ws) }
      if (state.tokens.liveCount(ws.id) === 0) response.auth_token = state.tokens.mint(ws.id).token
      logger.info({ workspaceId: ws.id, deliveryMode: response.delivery_mode }, 'workspace registered')
      return c.json(response)
    },
  )

  // POST /registry/heartbeat: liveness, the heartbeat-driven status changes, and one queued request drained.
  app.post(
    '/heartbeat',
    jsonBody(HeartbeatBody, withDetail),
    ownTokenAuth<JsonInput<typeof HeartbeatBody>>(ctx, (c) => c.req.valid('json').workspace_id),
    (c) => {
      const body = c.req.valid('json')
      const ws = state.get(body.workspace_id)
      if (!ws || ws.status === 'removed') return c.json({ status: 'ok' })

      const previousTask = ws.current_task
      const errorRate = Math.max(0, body.error_rate ?? 0)
      const runtimeState = body.runtime_state ?? ''
      ws.last_heartbeat_at = state.now()
      ws.last_error_rate = errorRate
      ws.last_sample_error = body.sample_error ?? ''
      ws.active_tasks = Math.max(0, Math.trunc(body.active_tasks ?? 0))
      ws.uptime_seconds = Math.max(0, Math.trunc(body.uptime_seconds ?? 0))
      ws.current_task = body.current_task ?? ''
      if (body.monthly_spend && body.monthly_spend > 0) ws.monthly_spend = Math.min(body.monthly_spend, 1e12)
      ws.capabilities = Object.fromEntries(
        Object.entries(body.runtime_metadata?.capabilities ?? {}).map(([name, on]) => [name, on === true]),
      )
      ws.updated_at = state.now()

      const managesOwnStatus = ws.capabilities.status_mgmt === true
      if (ws.status === 'online' && runtimeState === 'wedged') {
        state.setStatus(ws, 'degraded', { runtime_state: 'wedged', sample_error: ws.last_sample_error })
      } else if (ws.status === 'online' && errorRate >= 0.5 && !managesOwnStatus) {
        state.setStatus(ws, 'degraded', { error_rate: errorRate, sample_error: ws.last_sample_error })
      } else if (ws.status === 'degraded' && errorRate < 0.1 && runtimeState === '' && !managesOwnStatus) {
        state.setStatus(ws, 'online')
      } else if (ws.status === 'offline') {
        state.setStatus(ws, 'online')
      } else if (ws.status === 'provisioning' || ws.status === 'awaiting_agent') {
        state.setStatus(ws, 'online', { recovered_from: ws.status })
      }
      if (ws.current_task !== previousTask) {
        state.events.emit(
          'TASK_UPDATED',
          ws.id,
          { current_task: ws.current_task, active_tasks: ws.active_tasks },
          false,
        )
      }
      state.events.emit(
        'WORKSPACE_HEARTBEAT',
        ws.id,
        { active_tasks: ws.active_tasks, uptime_seconds: ws.uptime_seconds },
        false,
      )
      if (ws.active_tasks < ws.max_concurrent_tasks) {
        proxy
          .drainOne(ws.id)
          .catch((err: unknown) => logger.error({ err, workspaceId: ws.id }, 'queue drain failed'))
      }
      return c.json({ status: 'ok' })
    },
  )

  // POST /registry/update-card: replaces the agent card (ignored for unknown or removed workspaces).
  app.post(
    '/update-card',
    jsonBody(UpdateCardBody, plain),
    ownTokenAuth<JsonInput<typeof UpdateCardBody>>(ctx, (c) => c.req.valid('json').workspace_id),
    (c) => {
      const body = c.req.valid('json')
      const ws = state.get(body.workspace_id)
      if (ws && ws.status !== 'removed') {
        ws.agent_card = body.agent_card
        ws.updated_at = state.now()
        state.events.emit('AGENT_CARD_UPDATED', ws.id, { agent_card: ws.agent_card })
      }
      return c.json({ status: 'updated' })
    },
  )

  // GET /registry/discover/:targetId: where the caller (X-Workspace-ID) sends a direct A2A call to the target.
  app.get(
    '/discover/:targetId',
    zValidator('header', CallerHeader, (result, c) =>
      result.success ? undefined : errorJson(c, 400, 'X-Workspace-ID header is required'),
    ),
    ownTokenAuth<{ out: { header: z.output<typeof CallerHeader> } }>(
      ctx,
      (c) => c.req.valid('header')['x-workspace-id'],
      { discovery: true },
    ),
    (c) => {
      const callerId = c.req.valid('header')['x-workspace-id']
      const target = state.get(c.req.param('targetId'))
      if (!target || target.status === 'removed') return errorJson(c, 404, 'workspace not found')
      if (!canCommunicate((id) => state.get(id), callerId, target.id)) {
        return errorJson(c, 403, 'not authorized to discover this workspace')
      }
      if (deliveryModeOf(target) === 'poll') {
        // Poll-mode agents have no address: point the caller at the platform's own proxy route.
        const origin = new URL(c.req.url).origin
        return c.json({ id: target.id, url: `${origin}/workspaces/${target.id}/a2a`, name: target.name })
      }
      if (!target.url || target.status === 'offline' || target.status === 'failed') {
        return errorJson(c, 503, 'workspace not available', { status: target.status })
      }
      return c.json({ id: target.id, url: target.url, name: target.name })
    },
  )

  // GET /registry/:id/peers: the workspace's siblings, children and parent, optionally filtered by `q`.
  app.get(
    '/:id/peers',
    ownTokenAuth(ctx, (c) => c.req.param('id') ?? '', { discovery: true }),
    (c) => {
      const self = state.get(c.req.param('id'))
      if (!self || self.status === 'removed') return errorJson(c, 404, 'workspace not found')
      const q = c.req.query('q')?.toLowerCase()
      const peers = peersOf(state.workspaces.values(), self, (pid) => state.get(pid)).filter(
        (ws) => !q || ws.name.toLowerCase().includes(q) || (ws.role ?? '').toLowerCase().includes(q),
      )
      return c.json(peers.map(describePeer))
    },
  )

  // POST /registry/check-access: may caller_id talk to target_id? Open: it reveals only the hierarchy rule.
  app.post('/check-access', jsonBody(CheckAccessBody, plain), (c) => {
    const body = c.req.valid('json')
    return c.json({ allowed: canCommunicate((id) => state.get(id), body.caller_id, body.target_id) })
  })

  return app
}
