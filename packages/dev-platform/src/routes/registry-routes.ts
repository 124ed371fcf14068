import { z } from 'zod'
import { canCommunicate, peersOf } from '../hierarchy.js'
import { isoTime, isUuid } from '../ids.js'
import { deliveryModeOf, type Workspace } from '../workspace.js'
import { errorJson, gateResponse, isRecord, type RouteInstaller, readJson } from './route-context.js'

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

function firstIssue(error: z.ZodError): string {
  const issue = error.issues[0]
  return issue ? `${issue.path.join('.') || 'body'}: ${issue.message}` : 'invalid body'
}

function cardName(card: unknown): string | undefined {
  return isRecord(card) && typeof card.name === 'string' && card.name ? card.name : undefined
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

export const installRegistryRoutes: RouteInstaller = (app, { state, gates, proxy, logger }) => {
  // R1 register: mint-on-first-register, status → online, push or poll delivery.
  app.post('/registry/register', async (c) => {
    const parsed = RegisterBody.safeParse(await readJson(c))
    if (!parsed.success)
      return errorJson(c, 400, 'invalid request body', { detail: firstIssue(parsed.error) })
    const body = parsed.data
    if (body.delivery_mode != null && body.delivery_mode !== 'push' && body.delivery_mode !== 'poll') {
      return errorJson(c, 400, "delivery_mode must be 'push' or 'poll'")
    }
    const existing = state.get(body.id)
    const mode = body.delivery_mode ?? (existing ? deliveryModeOf(existing) : 'push')
    const url = body.url?.trim() ?? ''
    if (mode === 'push' && !/^https?:\/\/[^/\s]+/i.test(url)) {
      return errorJson(c, 400, 'invalid request body', { detail: 'url: push delivery needs an http(s) URL' })
    }
    const denied = gateResponse(c, gates.bootOrBearer(c, body.id))
    if (denied) return denied
    if (existing?.status === 'removed') {
      // Upstream answers 200 with a useless fresh token here; a clear 410 tells the agent to re-onboard.
      return errorJson(c, 410, 'workspace has been removed; create a new workspace', {
        id: existing.id,
        removed_at: existing.removed_at === null ? null : isoTime(existing.removed_at),
      })
    }
    const ws =
      existing ??
      state.add({ id: body.id, name: cardName(body.agent_card) ?? body.id, status: 'provisioning' })
    if (body.agent_card !== undefined) ws.agent_card = body.agent_card
    if (url) ws.url = url
    if (body.delivery_mode) ws.delivery_mode = body.delivery_mode
    ws.last_heartbeat_at = state.now()
    ws.status = 'online'
    ws.status_since = state.now()
    ws.updated_at = state.now()
    state.events.emit('WORKSPACE_ONLINE', ws.id, { url: ws.url, agent_card: ws.agent_card })
    const response: Record<string, unknown> = { status: 'registered', delivery_mode: deliveryModeOf(ws) }
    if (state.tokens.liveCount(ws.id) === 0) response.auth_token = state.tokens.mint(ws.id).token
    logger.info({ workspaceId: ws.id, deliveryMode: response.delivery_mode }, 'workspace registered')
    return c.json(response)
  })

  // R2 heartbeat: liveness, status transitions of Appendix A, queue drain.
  app.post('/registry/heartbeat', async (c) => {
    const parsed = HeartbeatBody.safeParse(await readJson(c))
    if (!parsed.success)
      return errorJson(c, 400, 'invalid request body', { detail: firstIssue(parsed.error) })
    const body = parsed.data
    const denied = gateResponse(c, gates.bootOrBearer(c, body.workspace_id))
    if (denied) return denied
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
  })

  // R3 update-card.
  app.post('/registry/update-card', async (c) => {
    const body = await readJson(c)
    if (!isRecord(body) || typeof body.workspace_id !== 'string' || body.agent_card === undefined) {
      return errorJson(c, 400, 'invalid request body')
    }
    const denied = gateResponse(c, gates.bootOrBearer(c, body.workspace_id))
    if (denied) return denied
    const ws = state.get(body.workspace_id)
    if (ws && ws.status !== 'removed') {
      ws.agent_card = body.agent_card
      ws.updated_at = state.now()
      state.events.emit('AGENT_CARD_UPDATED', ws.id, { agent_card: ws.agent_card })
    }
    return c.json({ status: 'updated' })
  })

  // R4 discover: where to send a direct A2A call.
  app.get('/registry/discover/:targetId', (c) => {
    const callerId = c.req.header('X-Workspace-ID')
    if (!callerId) return errorJson(c, 400, 'X-Workspace-ID header is required')
    const denied = gateResponse(c, gates.bootOrBearer(c, callerId, 'workspace', true))
    if (denied) return denied
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
  })

  // R5 peers: siblings, children, parent.
  app.get('/registry/:id/peers', (c) => {
    const id = c.req.param('id')
    const denied = gateResponse(c, gates.bootOrBearer(c, id, 'workspace', true))
    if (denied) return denied
    const self = state.get(id)
    if (!self || self.status === 'removed') return errorJson(c, 404, 'workspace not found')
    const q = c.req.query('q')?.toLowerCase()
    const peers = peersOf(state.workspaces.values(), self, (pid) => state.get(pid)).filter(
      (ws) => !q || ws.name.toLowerCase().includes(q) || (ws.role ?? '').toLowerCase().includes(q),
    )
    return c.json(peers.map(describePeer))
  })

  // R6 check-access (open).
  app.post('/registry/check-access', async (c) => {
    const body = await readJson(c)
    if (!isRecord(body) || typeof body.caller_id !== 'string' || typeof body.target_id !== 'string') {
      return errorJson(c, 400, 'invalid request body')
    }
    return c.json({ allowed: canCommunicate((id) => state.get(id), body.caller_id, body.target_id) })
  })
}
