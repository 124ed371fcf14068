import { randomUUID } from 'node:crypto'
import { afterEach, describe, expect, it } from 'vitest'
import { startTestPlatform, type TestPlatform } from './test-helpers.js'

let p: TestPlatform
afterEach(async () => p?.close())

/** A sample of WorkspaceAuth routes (GET and POST) that must all share the same gate. */
const WORKSPACE_ROUTES: Array<[string, string, unknown?]> = [
  ['GET', 'activity'],
  ['POST', 'activity', { activity_type: 'agent_log' }],
  ['GET', 'memories'],
  ['POST', 'memories', { content: 'x', scope: 'LOCAL' }],
  ['GET', 'delegations'],
  ['POST', 'notify', { message: 'x' }],
  ['GET', 'approvals'],
  ['GET', 'instructions/resolve'],
  ['GET', 'checkpoints/latest'],
  ['GET', 'tokens'],
  ['GET', 'events/stream'],
]

describe('WorkspaceAuth (strict by default)', () => {
  it('401 missing without a bearer, 401 invalid with another workspace’s token, passes with its own', async () => {
    p = await startTestPlatform()
    const ws = await p.register()
    const other = await p.register()
    for (const [method, path, body] of WORKSPACE_ROUTES) {
      const url = `/workspaces/${ws.id}/${path}`
      const none = await p.call(method, url, body === undefined ? {} : { body })
      expect(none, `${method} ${path}`).toMatchObject({
        status: 401,
        body: { error: 'missing workspace auth token' },
      })
      const foreign = await p.call(method, url, {
        ...(body === undefined ? {} : { body }),
        token: other.token,
      })
      expect(foreign, `${method} ${path}`).toMatchObject({
        status: 401,
        body: { error: 'invalid workspace auth token' },
      })
      if (path === 'events/stream') continue
      const own = await p.call(method, url, { ...(body === undefined ? {} : { body }), token: ws.token })
      expect(own.status, `${method} ${path}`).not.toBe(401)
    }
  })

  it('a workspace without any token still cannot use WorkspaceAuth routes (no bootstrap grace)', async () => {
    p = await startTestPlatform()
    const ws = await p.createWorkspace({ name: 'fresh' })
    expect((await p.call('GET', `/workspaces/${ws.id}/activity`)).status).toBe(401)
  })

  it('the admin token opens every workspace; lenient mode lets credential-less calls through', async () => {
    p = await startTestPlatform({ adminToken: 'operator-secret' })
    const ws = await p.register()
    expect((await p.call('GET', `/workspaces/${ws.id}/activity`, { token: 'operator-secret' })).status).toBe(
      200,
    )
    const lenient = await startTestPlatform({ lenient: true })
    const lw = await lenient.register()
    expect((await lenient.call('GET', `/workspaces/${lw.id}/activity`)).status).toBe(200)
    // …but a wrong bearer is still rejected, and registry token checks stay strict.
    expect((await lenient.call('GET', `/workspaces/${lw.id}/activity`, { token: 'wrong' })).status).toBe(401)
    expect(
      (await lenient.call('POST', '/registry/heartbeat', { body: { workspace_id: lw.id } })).status,
    ).toBe(401)
    expect((await lenient.call('GET', `/registry/${lw.id}/peers`)).status).toBe(200)
    await lenient.close()
  })

  it('revoked tokens stop working immediately', async () => {
    p = await startTestPlatform()
    const ws = await p.register()
    const minted = await p.call('POST', `/workspaces/${ws.id}/tokens`, { token: ws.token })
    expect(minted.status).toBe(201)
    const listed = await p.call('GET', `/workspaces/${ws.id}/tokens`, { token: ws.token })
    expect(listed.body.count).toBe(2)
    const firstId = listed.body.tokens[0].id
    expect(
      (await p.call('DELETE', `/workspaces/${ws.id}/tokens/${firstId}`, { token: minted.body.auth_token }))
        .status,
    ).toBe(200)
    expect((await p.call('GET', `/workspaces/${ws.id}/activity`, { token: ws.token })).status).toBe(401)
    expect(
      (await p.call('GET', `/workspaces/${ws.id}/activity`, { token: minted.body.auth_token })).status,
    ).toBe(200)
    expect(
      (await p.call('DELETE', `/workspaces/${ws.id}/tokens/${firstId}`, { token: minted.body.auth_token }))
        .body,
    ).toEqual({
      error: 'token not found or already revoked',
    })
  })
})

describe('AdminAuth', () => {
  it('is open without an admin token, and requires it when configured', async () => {
    p = await startTestPlatform({ adminToken: 'operator-secret' })
    const body = { name: 'x' }
    expect(await p.call('POST', '/workspaces', { body })).toMatchObject({
      status: 401,
      body: { error: 'admin auth required' },
    })
    expect(await p.call('POST', '/workspaces', { body, token: 'guess' })).toMatchObject({
      status: 401,
      body: { error: 'invalid admin auth token' },
    })
    const ws = await p.register()
    // A workspace token is not an admin credential.
    expect((await p.call('POST', '/workspaces', { body, token: ws.token })).status).toBe(401)
    expect((await p.call('POST', '/workspaces', { body, token: 'operator-secret' })).status).toBe(201)
    expect((await p.call('GET', `/admin/workspaces/${ws.id}/test-token`)).status).toBe(401)
    const open = await startTestPlatform()
    expect((await open.call('POST', '/workspaces', { body })).status).toBe(201)
    await open.close()
  })
})

describe('open routes and boot-or-bearer', () => {
  it('GET /workspaces/:id and /health need nothing', async () => {
    p = await startTestPlatform()
    const ws = await p.register()
    const res = await p.call('GET', `/workspaces/${ws.id}`)
    expect(res.status).toBe(200)
    expect(res.body).toMatchObject({
      id: ws.id,
      status: 'online',
      tier: 3,
      parent_id: null,
      max_concurrent_tasks: 1,
    })
    expect(res.body).not.toHaveProperty('current_task')
    expect(res.body).not.toHaveProperty('monthly_spend')
    expect(await p.call('GET', '/workspaces/not-a-uuid')).toMatchObject({
      status: 400,
      body: { error: 'invalid workspace ID' },
    })
    expect(await p.call('GET', `/workspaces/${randomUUID()}`)).toMatchObject({
      status: 404,
      body: { error: 'workspace not found' },
    })
    expect(await p.call('GET', '/health')).toMatchObject({ status: 200, body: { status: 'ok' } })
    expect(await p.call('GET', '/nowhere')).toMatchObject({ status: 404, body: '404 page not found' })
  })

  it('registry routes are free until the first token exists', async () => {
    p = await startTestPlatform()
    const ws = await p.createWorkspace({ name: 'boot' })
    expect((await p.call('GET', `/registry/${ws.id}/peers`)).status).toBe(200)
    const reg = await p.call('POST', '/registry/register', {
      body: { id: ws.id, url: 'http://127.0.0.1:9', agent_card: {} },
    })
    expect(reg.body.auth_token).toBeDefined()
    expect((await p.call('GET', `/registry/${ws.id}/peers`)).status).toBe(401)
    expect((await p.call('GET', `/registry/${ws.id}/peers`, { token: reg.body.auth_token })).status).toBe(200)
  })

  it('GET /workspaces/:id/state reports lifecycle for remote agents', async () => {
    p = await startTestPlatform()
    const ws = await p.register()
    expect((await p.call('GET', `/workspaces/${ws.id}/state`, { token: ws.token })).body).toEqual({
      workspace_id: ws.id,
      status: 'online',
      paused: false,
      deleted: false,
    })
    await p.call('DELETE', `/workspaces/${ws.id}`)
    // Tokens died with the workspace; in lenient mode the row still reports deleted.
    const lenient = await startTestPlatform({ lenient: true })
    const lw = await lenient.register()
    await lenient.call('DELETE', `/workspaces/${lw.id}`)
    expect(await lenient.call('GET', `/workspaces/${lw.id}/state`)).toMatchObject({
      status: 404,
      body: { workspace_id: lw.id, status: 'removed', deleted: true },
    })
    await lenient.close()
  })
})
