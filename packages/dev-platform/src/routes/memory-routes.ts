import { Hono } from 'hono'
import { z } from 'zod'
import { teamOf } from '../hierarchy.js'
import { isoTime, newId, sha256Hex } from '../ids.js'
import type { MemoryRecord } from '../platform-state.js'
import { redactSecrets } from '../redact.js'
import { jsonBody } from './json-body.js'
import { someText } from './lenient-fields.js'
import { errorJson, type RouteContext } from './route-context.js'

const SCOPES: readonly string[] = ['LOCAL', 'TEAM', 'GLOBAL']

const MemoryBody = z.object({ content: z.string().min(1), scope: z.string(), namespace: someText() })

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

/** Scoped memories (LOCAL, TEAM, GLOBAL) that agents commit and recall. */
export function memoryRoutes({ state }: RouteContext): Hono {
  const app = new Hono()

  // POST /workspaces/:id/memories: commit a scoped memory (secrets redacted); GLOBAL only from root workspaces.
  app.post(
    '/',
    jsonBody(MemoryBody, () => ({ error: 'invalid request body' })),
    (c) => {
      const id = c.req.param('id') ?? ''
      const body = c.req.valid('json')
      if (!SCOPES.includes(body.scope)) return errorJson(c, 400, 'scope must be LOCAL, TEAM, or GLOBAL')
      const scope = body.scope as MemoryRecord['scope']
      const namespace = body.namespace ?? 'general'
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
      state.changes.notify('memories', id)
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
    },
  )

  // GET /workspaces/:id/memories[?scope=&namespace=&q=&limit=]: newest first (visibility table in the README).
  app.get('/', (c) => {
    const id = c.req.param('id') ?? ''
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

  // DELETE /workspaces/:id/memories/:memoryId: only the workspace's own memories.
  app.delete('/:memoryId', (c) => {
    const id = c.req.param('id') ?? ''
    const index = state.memories.findIndex((m) => m.id === c.req.param('memoryId') && m.workspace_id === id)
    if (index < 0) return errorJson(c, 404, 'memory not found or not owned by this workspace')
    state.memories.splice(index, 1)
    state.changes.notify('memories', id)
    return c.json({ status: 'deleted' })
  })

  return app
}
