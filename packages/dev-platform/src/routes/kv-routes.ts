import { Hono } from 'hono'
import { z } from 'zod'
import { isoTime } from '../ids.js'
import type { KvEntry } from '../platform-state.js'
import { jsonBody } from './json-body.js'
import { anyValue, someNumber } from './lenient-fields.js'
import { errorJson, type RouteContext } from './route-context.js'

const PutBody = z.object({
  key: z.string().min(1),
  value: anyValue(),
  if_match_version: someNumber(),
  ttl_seconds: someNumber(),
})

/** A workspace's key/value memory: optimistic versions (`if_match_version`) and TTLs. */
export function kvRoutes({ state }: RouteContext): Hono {
  const app = new Hono()

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

  // GET /workspaces/:id/memory: every live key.
  app.get('/', (c) => {
    const rows = [...kvOf(c.req.param('id') ?? '').entries()]
      .filter(([, e]) => alive(e))
      .map(([k, e]) => describeKv(k, e))
    return c.json(rows)
  })

  // GET /workspaces/:id/memory/:key
  app.get('/:key', (c) => {
    const key = c.req.param('key')
    const entry = alive(kvOf(c.req.param('id') ?? '').get(key))
    if (!entry) return errorJson(c, 404, 'key not found')
    return c.json(describeKv(key, entry))
  })

  // POST /workspaces/:id/memory: writes a key; with `if_match_version` only over that version (0 = must not exist).
  app.post(
    '/',
    jsonBody(PutBody, () => ({ error: 'key is required' })),
    (c) => {
      const body = c.req.valid('json')
      const map = kvOf(c.req.param('id') ?? '')
      const current = alive(map.get(body.key))
      if (body.if_match_version !== undefined) {
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
      const ttl = body.ttl_seconds !== undefined && body.ttl_seconds > 0 ? body.ttl_seconds : null
      const version = (current?.version ?? 0) + 1
      map.set(body.key, {
        value: body.value ?? null,
        version,
        expires_at: ttl === null ? null : state.now() + ttl * 1000,
        updated_at: state.now(),
      })
      return c.json({ status: 'ok', key: body.key, version })
    },
  )

  // DELETE /workspaces/:id/memory/:key
  app.delete('/:key', (c) => {
    kvOf(c.req.param('id') ?? '').delete(c.req.param('key'))
    return c.json({ status: 'deleted' })
  })

  return app
}
