import { isoTime, isUuid, newId } from '../ids.js'
import type { CheckpointRecord, KvEntry } from '../platform-state.js'
import { errorJson, gateResponse, isRecord, type RouteInstaller, readJson } from './route-context.js'

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

/** Boot-time context (instructions, shared context), checkpoints, key/value memory, GitHub-token and budget answers. */
export const installContextRoutes: RouteInstaller = (app, { state, gates, options }) => {
  app.get('/workspaces/:id/instructions/resolve', (c) => {
    const id = c.req.param('id')
    const denied = gateResponse(c, gates.workspace(c, id))
    if (denied) return denied
    const instructions = options.instructions[id] ?? options.instructions['*'] ?? ''
    return c.json({ workspace_id: id, instructions })
  })

  app.get('/workspaces/:id/shared-context', (c) => {
    const id = c.req.param('id')
    const denied = gateResponse(c, gates.workspace(c, id))
    if (denied) return denied
    if (!state.get(id)) return errorJson(c, 404, 'workspace not found')
    return c.json(options.sharedContext[id] ?? [])
  })

  app.post('/workspaces/:id/checkpoints', async (c) => {
    const id = c.req.param('id')
    const denied = gateResponse(c, gates.workspace(c, id))
    if (denied) return denied
    const body = await readJson(c)
    if (!isRecord(body) || typeof body.workflow_id !== 'string' || !body.workflow_id) {
      return errorJson(c, 400, 'invalid request body')
    }
    if (typeof body.step_name !== 'string' || !body.step_name)
      return errorJson(c, 400, 'invalid request body')
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
    cp.step_index = typeof body.step_index === 'number' ? body.step_index : 0
    cp.payload = body.payload ?? null
    cp.completed_at = state.now()
    return c.json({ id: cp.id, workspace_id: id, workflow_id, step_name }, 201)
  })

  app.get('/workspaces/:id/checkpoints/latest', (c) => {
    const id = c.req.param('id')
    const denied = gateResponse(c, gates.workspace(c, id))
    if (denied) return denied
    const mine = state.checkpoints.filter((x) => x.workspace_id === id)
    const latest = mine.reduce<CheckpointRecord | undefined>(
      (best, x) => (!best || x.completed_at >= best.completed_at ? x : best),
      undefined,
    )
    if (!latest) return errorJson(c, 404, 'no checkpoints found for workspace')
    return c.json(describeCheckpoint(latest))
  })

  app.get('/workspaces/:id/checkpoints/:wfid', (c) => {
    const id = c.req.param('id')
    const denied = gateResponse(c, gates.workspace(c, id))
    if (denied) return denied
    const rows = state.checkpoints
      .filter((x) => x.workspace_id === id && x.workflow_id === c.req.param('wfid'))
      .sort((a, b) => b.step_index - a.step_index)
    if (rows.length === 0) return errorJson(c, 404, 'no checkpoints found for workflow')
    return c.json(rows.map(describeCheckpoint))
  })

  app.delete('/workspaces/:id/checkpoints/:wfid', (c) => {
    const id = c.req.param('id')
    const denied = gateResponse(c, gates.workspace(c, id))
    if (denied) return denied
    const wfid = c.req.param('wfid')
    const before = state.checkpoints.length
    const keep = state.checkpoints.filter((x) => !(x.workspace_id === id && x.workflow_id === wfid))
    const deleted = before - keep.length
    if (deleted === 0) return errorJson(c, 404, 'no checkpoints found for workflow')
    state.checkpoints.splice(0, before, ...keep)
    return c.json({ deleted, workflow_id: wfid })
  })

  // K1: key/value memory with optimistic versions and TTLs.
  const kvOf = (id: string) => {
    let map = state.kv.get(id)
    if (!map) {
      map = new Map<string, KvEntry>()
      state.kv.set(id, map)
    }
    return map
  }
  const alive = (entry: KvEntry | undefined) =>
    entry !== undefined && (entry.expires_at === null || entry.expires_at > state.now()) ? entry : undefined
  const describeKv = (key: string, e: KvEntry) => ({
    key,
    value: e.value,
    version: e.version,
    ...(e.expires_at !== null ? { expires_at: isoTime(e.expires_at) } : {}),
    updated_at: isoTime(e.updated_at),
  })

  app.get('/workspaces/:id/memory', (c) => {
    const id = c.req.param('id')
    const denied = gateResponse(c, gates.workspace(c, id))
    if (denied) return denied
    const rows = [...kvOf(id).entries()].filter(([, e]) => alive(e)).map(([k, e]) => describeKv(k, e))
    return c.json(rows)
  })

  app.get('/workspaces/:id/memory/:key', (c) => {
    const id = c.req.param('id')
    const denied = gateResponse(c, gates.workspace(c, id))
    if (denied) return denied
    const key = c.req.param('key')
    const entry = alive(kvOf(id).get(key))
    if (!entry) return errorJson(c, 404, 'key not found')
    return c.json(describeKv(key, entry))
  })

  app.post('/workspaces/:id/memory', async (c) => {
    const id = c.req.param('id')
    const denied = gateResponse(c, gates.workspace(c, id))
    if (denied) return denied
    const body = await readJson(c)
    if (!isRecord(body) || typeof body.key !== 'string' || !body.key)
      return errorJson(c, 400, 'key is required')
    const map = kvOf(id)
    const current = alive(map.get(body.key))
    if (typeof body.if_match_version === 'number') {
      const expected = body.if_match_version
      if (!current && expected !== 0) {
        return c.json(
          {
            error: 'if_match_version mismatch: key does not exist',
            expected_version: expected,
            current_version: null,
          },
          409,
        )
      }
      if (current && current.version !== expected) {
        return c.json(
          {
            error: 'if_match_version mismatch',
            expected_version: expected,
            current_version: current.version,
          },
          409,
        )
      }
    }
    const ttl = typeof body.ttl_seconds === 'number' && body.ttl_seconds > 0 ? body.ttl_seconds : null
    const version = (current?.version ?? 0) + 1
    map.set(body.key, {
      value: body.value ?? null,
      version,
      expires_at: ttl === null ? null : state.now() + ttl * 1000,
      updated_at: state.now(),
    })
    return c.json({ status: 'ok', key: body.key, version })
  })

  app.delete('/workspaces/:id/memory/:key', (c) => {
    const id = c.req.param('id')
    const denied = gateResponse(c, gates.workspace(c, id))
    if (denied) return denied
    kvOf(id).delete(c.req.param('key'))
    return c.json({ status: 'deleted' })
  })

  // SV: secrets bundle for remote agents (global values overlaid by the workspace's own).
  app.get('/workspaces/:id/secrets/values', (c) => {
    const id = c.req.param('id')
    if (!isUuid(id)) return errorJson(c, 400, 'invalid workspace ID')
    const denied = gateResponse(c, gates.workspace(c, id) ?? gates.bootOrBearer(c, id))
    if (denied) return denied
    return c.json({ ...(options.secrets['*'] ?? {}), ...(options.secrets[id] ?? {}) })
  })

  // G1: no GitHub App in a dev platform.
  app.get('/workspaces/:id/github-installation-token', (c) => {
    const denied = gateResponse(c, gates.workspace(c, c.req.param('id')))
    if (denied) return denied
    return errorJson(c, 404, 'no GitHub App configured')
  })

  // X2: budget view.
  app.get('/workspaces/:id/budget', (c) => {
    const id = c.req.param('id')
    const denied = gateResponse(c, gates.workspace(c, id))
    if (denied) return denied
    const ws = state.get(id)
    if (!ws) return errorJson(c, 404, 'workspace not found')
    return c.json({
      budget_limit: ws.budget_limit,
      monthly_spend: ws.monthly_spend,
      budget_remaining: ws.budget_limit === null ? null : Math.max(0, ws.budget_limit - ws.monthly_spend),
    })
  })
}
