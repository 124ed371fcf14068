import { randomUUID } from 'node:crypto'
import { afterEach, describe, expect, it } from 'vitest'
import { collectEvents, startTestPlatform, type TestPlatform } from './test-helpers.js'

let p: TestPlatform
afterEach(async () => p?.close())

describe('POST /workspaces', () => {
  it('container workspaces start provisioning', async () => {
    p = await startTestPlatform()
    const events = collectEvents(p)
    const res = await p.call('POST', '/workspaces', { body: { name: 'Lead', role: 'lead', tier: 0 } })
    expect(res.status).toBe(201)
    expect(res.body).toEqual({
      id: expect.any(String),
      status: 'provisioning',
      awareness_namespace: expect.any(String),
      workspace_access: 'none',
    })
    expect(p.state.get(res.body.id)).toMatchObject({
      name: 'Lead',
      role: 'lead',
      tier: 3,
      runtime: 'langgraph',
    })
    expect(events[0]).toMatchObject({ event: 'WORKSPACE_PROVISIONING', payload: { name: 'Lead', tier: 3 } })
  })

  it('external with a URL is online at once; without one it returns a one-time token that registers', async () => {
    p = await startTestPlatform()
    const withUrl = await p.call('POST', '/workspaces', {
      body: { name: 'Ext', external: true, url: 'http://127.0.0.1:7' },
    })
    expect(withUrl).toMatchObject({ status: 201, body: { external: true, status: 'online' } })
    expect(p.state.tokens.liveCount(withUrl.body.id)).toBe(0)

    const events = collectEvents(p)
    const bridge = await p.call('POST', '/workspaces', { body: { name: 'Bridge', runtime: 'external' } })
    expect(bridge.status).toBe(201)
    expect(bridge.body).toMatchObject({ external: true, status: 'awaiting_agent' })
    const connection = bridge.body.connection
    expect(connection).toMatchObject({
      workspace_id: bridge.body.id,
      platform_url: p.url,
      registry_endpoint: `${p.url}/registry/register`,
      heartbeat_endpoint: `${p.url}/registry/heartbeat`,
    })
    expect(connection.auth_token).toMatch(/^[A-Za-z0-9_-]{43}$/)
    expect(events[1]).toMatchObject({ event: 'WORKSPACE_AWAITING_AGENT', payload: { external: true } })
    const reg = await p.call('POST', '/registry/register', {
      body: { id: bridge.body.id, agent_card: { name: 'Bridge' } },
      token: connection.auth_token,
    })
    expect(reg).toMatchObject({ status: 200, body: { status: 'registered', delivery_mode: 'poll' } })
    expect(reg.body.auth_token).toBeUndefined()
    expect(p.state.get(bridge.body.id)?.status).toBe('online')
  })

  it('rejects bad payloads', async () => {
    p = await startTestPlatform()
    expect(await p.call('POST', '/workspaces', { body: '{' })).toMatchObject({
      status: 400,
      body: { error: 'invalid workspace payload' },
    })
    expect(await p.call('POST', '/workspaces', { body: { role: 'x' } })).toMatchObject({
      status: 400,
      body: { error: 'invalid workspace fields' },
    })
    expect(
      (await p.call('POST', '/workspaces', { body: { name: 'x', parent_id: randomUUID() } })).status,
    ).toBe(400)
  })
})

describe('PATCH and DELETE /workspaces/:id', () => {
  it('sets the parent and refuses cycles', async () => {
    p = await startTestPlatform()
    const lead = await p.register()
    const worker = await p.register()
    const res = await p.call('PATCH', `/workspaces/${worker.id}`, {
      body: { parent_id: lead.id, name: 'Worker', max_concurrent_tasks: 3 },
      token: worker.token,
    })
    expect(res).toMatchObject({ status: 200, body: { status: 'updated' } })
    expect((await p.call('GET', `/workspaces/${worker.id}`)).body).toMatchObject({
      parent_id: lead.id,
      name: 'Worker',
      max_concurrent_tasks: 3,
    })
    const cycle = await p.call('PATCH', `/workspaces/${lead.id}`, {
      body: { parent_id: worker.id },
      token: lead.token,
    })
    expect(cycle.status).toBe(400)
    const missing = await p.call('PATCH', `/workspaces/${lead.id}`, {
      body: { parent_id: randomUUID() },
      token: lead.token,
    })
    expect(missing.status).toBe(400)
  })

  it('asks for confirmation with children, then removes the subtree and revokes its tokens', async () => {
    p = await startTestPlatform()
    const events = collectEvents(p)
    const lead = await p.register()
    const worker = await p.register()
    await p.call('PATCH', `/workspaces/${worker.id}`, { body: { parent_id: lead.id }, token: worker.token })
    const ask = await p.call('DELETE', `/workspaces/${lead.id}`)
    expect(ask.status).toBe(409)
    expect(ask.body).toMatchObject({
      status: 'confirmation_required',
      children: [{ id: worker.id, name: expect.any(String) }],
      children_count: 1,
    })
    const done = await p.call('DELETE', `/workspaces/${lead.id}?confirm=true`)
    expect(done).toMatchObject({ status: 200, body: { status: 'removed', cascade_deleted: 1 } })
    expect(p.state.get(worker.id)?.status).toBe('removed')
    expect(p.state.tokens.liveCount(worker.id)).toBe(0)
    expect(events.filter((e) => e.event === 'WORKSPACE_REMOVED').map((e) => e.payload)).toEqual([
      { cascade_deleted: 1 },
      {},
    ])
    const gone = await p.call('GET', `/workspaces/${lead.id}`)
    expect(gone).toMatchObject({ status: 410, body: { id: lead.id, removed_at: expect.any(String) } })
    expect(
      (await p.call('POST', `/workspaces/${lead.id}/a2a`, { body: { method: 'message/send' } })).status,
    ).toBe(404)
    const purged = await p.register()
    expect((await p.call('DELETE', `/workspaces/${purged.id}?purge=true`)).body).toEqual({
      status: 'purged',
      cascade_deleted: 0,
    })
    expect(p.state.get(purged.id)).toBeUndefined()
  })
})

describe('admin reads and test tokens', () => {
  it('lists workspaces and recorded events, mints test tokens', async () => {
    p = await startTestPlatform()
    const ws = await p.register()
    const all = await p.call('GET', '/workspaces')
    expect(all.body[0]).toMatchObject({ id: ws.id, current_task: '', monthly_spend: 0 })
    const events = await p.call('GET', `/events/${ws.id}`)
    expect(events.body[0]).toMatchObject({ event_type: 'WORKSPACE_ONLINE', workspace_id: ws.id })
    const tt = await p.call('GET', `/admin/workspaces/${ws.id}/test-token`)
    expect(tt.body.workspace_id).toBe(ws.id)
    expect((await p.call('GET', `/workspaces/${ws.id}/activity`, { token: tt.body.auth_token })).status).toBe(
      200,
    )
    expect((await p.call('GET', `/admin/workspaces/${randomUUID()}/test-token`)).status).toBe(404)
  })

  it('createWorkspace() mirrors POST /workspaces and can mint a token', async () => {
    p = await startTestPlatform()
    const parent = await p.createWorkspace({
      name: 'parent',
      external: true,
      url: 'http://127.0.0.1:9',
      mint_token: true,
    })
    const id = randomUUID()
    const child = await p.createWorkspace({ id, name: 'child', parent_id: parent.id, delivery_mode: 'poll' })
    expect(child).toEqual({ id })
    expect(parent.token).toMatch(/^[A-Za-z0-9_-]{43}$/)
    expect((await p.call('GET', `/workspaces/${parent.id}/activity`, { token: parent.token })).status).toBe(
      200,
    )
    expect(p.state.get(id)?.parent_id).toBe(parent.id)
  })
})
