import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { endpoint, listOf, parseAs, route } from './endpoint.js'
import { PlatformError } from './errors.js'

describe('route', () => {
  it('fills every :param, URI-encoded, so an id cannot add path segments or a query', () => {
    expect(route('/workspaces/:id/memories/:memoryId', { id: 'ws-1', memoryId: '../x?y=1' })).toBe(
      '/workspaces/ws-1/memories/..%2Fx%3Fy%3D1',
    )
    expect(route('/registry/discover/:targetId', { targetId: 'a b' })).toBe('/registry/discover/a%20b')
  })

  it('leaves a template without params as it is', () => {
    expect(route('/registry/heartbeat', {})).toBe('/registry/heartbeat')
  })
})

describe('listOf', () => {
  it('builds the list schema of an item schema once', () => {
    const item = z.object({ id: z.string() })
    expect(listOf(item)).toBe(listOf(item))
  })

  it('reads the platform null list as an empty array and validates each row', () => {
    const rows = listOf(z.object({ id: z.string() }))
    expect(rows.parse(null)).toEqual([])
    expect(rows.parse([{ id: 'a' }])).toEqual([{ id: 'a' }])
    expect(rows.safeParse([{ id: 1 }]).success).toBe(false)
    expect(rows.safeParse(undefined).success).toBe(false)
  })
})

describe('endpoint', () => {
  it('retries GETs by default and no write unless it says it is safe to repeat', () => {
    expect(endpoint('GET', '/x', null).idempotent).toBe(true)
    expect(endpoint('POST', '/x', null).idempotent).toBe(false)
    expect(endpoint('DELETE', '/x', null).idempotent).toBe(false)
    expect(endpoint('POST', '/x', null, { idempotent: true }).idempotent).toBe(true)
  })

  it('reads the parsed body by default', () => {
    const declared = endpoint('GET', '/x', z.number())
    expect(declared.read({ status: 200, data: 7, headers: new Headers() })).toBe(7)
  })
})

describe('parseAs', () => {
  it('names the endpoint and the first wrong field in a PLATFORM_BAD_RESPONSE', () => {
    const response = { status: 200, data: { workflow_id: 5 }, headers: new Headers() }
    let caught: unknown
    try {
      parseAs(z.object({ workflow_id: z.string() }), response, 'GET /workspaces/w/checkpoints/latest')
    } catch (err) {
      caught = err
    }
    expect(caught).toBeInstanceOf(PlatformError)
    expect(caught).toMatchObject({
      code: 'PLATFORM_BAD_RESPONSE',
      endpoint: 'GET /workspaces/w/checkpoints/latest',
      status: 200,
    })
    expect((caught as Error).message).toMatch(/^GET \/workspaces\/w\/checkpoints\/latest: .* at workflow_id:/)
  })
})
