import { teamOf } from '../hierarchy.js'
import { isoTime, newId, sha256Hex } from '../ids.js'
import type { MemoryRecord } from '../platform-state.js'
import { redactSecrets } from '../redact.js'
import { errorJson, gateResponse, isRecord, type RouteInstaller, readJson } from './route-context.js'

const SCOPES = ['LOCAL', 'TEAM', 'GLOBAL'] as const

function describe(memory: MemoryRecord, wrapGlobal: boolean) {
  return {
    id: memory.id,
    workspace_id: memory.workspace_id,
    content: wrapGlobal
      ? `[MEMORY id=${memory.id} scope=GLOBAL from=${memory.workspace_id}]: ${memory.content}`
      : memory.content,
    scope: memory.scope,
    namespace: memory.namespace,
    created_at: isoTime(memory.created_at),
  }
}

export const installMemoryRoutes: RouteInstaller = (app, { state, gates }) => {
  // M1: commit a scoped memory; GLOBAL only from root workspaces.
  app.post('/workspaces/:id/memories', async (c) => {
    const id = c.req.param('id')
    const denied = gateResponse(c, gates.workspace(c, id))
    if (denied) return denied
    const body = await readJson(c)
    if (
      !isRecord(body) ||
      typeof body.content !== 'string' ||
      !body.content ||
      typeof body.scope !== 'string'
    ) {
      return errorJson(c, 400, 'invalid request body')
    }
    const scope = body.scope as MemoryRecord['scope']
    if (!SCOPES.includes(scope)) return errorJson(c, 400, 'scope must be LOCAL, TEAM, or GLOBAL')
    const namespace = typeof body.namespace === 'string' && body.namespace ? body.namespace : 'general'
    if (namespace.length > 50) return errorJson(c, 400, 'namespace must be <= 50 characters')
    const writer = state.get(id)
    if (!writer || writer.status === 'removed') return errorJson(c, 404, 'workspace not found')
    if (scope === 'GLOBAL' && writer.parent_id) {
      return errorJson(c, 403, 'only root workspaces can write GLOBAL memories')
    }
    let content = redactSecrets(body.content)
    // A GLOBAL memory must not be able to forge the read-side wrapper of another memory.
    if (scope === 'GLOBAL') content = content.replaceAll('[MEMORY ', '[_MEMORY ')
    const memory: MemoryRecord = {
      id: newId(),
      workspace_id: id,
      content,
      scope,
      namespace,
      created_at: state.now(),
    }
    state.memories.push(memory)
    if (scope === 'GLOBAL') {
      state.recordActivity({
        workspace_id: id,
        activity_type: 'memory_write_global',
        source_id: id,
        summary: `GLOBAL memory ${memory.id} written`,
        request_body: { memory_id: memory.id, content_sha256: sha256Hex(content) },
      })
    }
    return c.json({ id: memory.id, scope, namespace }, 201)
  })

  // M2: read by scope (see the visibility table in the README).
  app.get('/workspaces/:id/memories', (c) => {
    const id = c.req.param('id')
    const denied = gateResponse(c, gates.workspace(c, id))
    if (denied) return denied
    const self = state.get(id)
    const scope = c.req.query('scope') ?? ''
    const namespace = c.req.query('namespace')
    const q = c.req.query('q')?.toLowerCase()
    const limitRaw = Number(c.req.query('limit'))
    const limit = Number.isInteger(limitRaw) && limitRaw >= 1 && limitRaw <= 49 ? limitRaw : 50
    let visible: MemoryRecord[]
    if (scope === 'LOCAL') {
      visible = state.memories.filter((m) => m.workspace_id === id && m.scope === 'LOCAL')
    } else if (scope === 'TEAM') {
      const team = self ? teamOf(state.workspaces.values(), self) : new Set([id])
      visible = state.memories.filter((m) => m.scope === 'TEAM' && team.has(m.workspace_id))
    } else if (scope === 'GLOBAL') {
      visible = state.memories.filter((m) => m.scope === 'GLOBAL')
    } else {
      visible = state.memories.filter((m) => m.workspace_id === id)
    }
    const rows = visible
      .filter((m) => state.get(m.workspace_id)?.status !== 'removed')
      .filter((m) => namespace === undefined || m.namespace === namespace)
      .filter((m) => !q || m.content.toLowerCase().includes(q))
      .reverse()
      .slice(0, limit)
    return c.json(rows.map((m) => describe(m, scope === 'GLOBAL')))
  })

  // M3: delete one of this workspace's memories.
  app.delete('/workspaces/:id/memories/:memoryId', (c) => {
    const id = c.req.param('id')
    const denied = gateResponse(c, gates.workspace(c, id))
    if (denied) return denied
    const index = state.memories.findIndex((m) => m.id === c.req.param('memoryId') && m.workspace_id === id)
    if (index < 0) return errorJson(c, 404, 'memory not found or not owned by this workspace')
    state.memories.splice(index, 1)
    return c.json({ status: 'deleted' })
  })
}
