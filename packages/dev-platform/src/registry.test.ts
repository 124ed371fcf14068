import { createHash, randomUUID } from 'node:crypto'
import { afterEach, describe, expect, it } from 'vitest'
import { startTestPlatform, type TestPlatform } from './test-helpers.js'

let p: TestPlatform
afterEach(async () => p?.close())

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex')

describe('POST /registry/register', () => {
  it('mints a 43-char base64url token once and stores only its sha256', async () => {
    p = await startTestPlatform()
    const id = randomUUID()
    const res = await p.call('POST', '/registry/register', {
      body: { id, url: 'http://127.0.0.1:8000', agent_card: { name: 'Lead' } },
    })
    expect(res.status).toBe(200)
    expect(res.body).toMatchObject({ status: 'registered', delivery_mode: 'push' })
    const token = res.body.auth_token as string
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/)
    const records = [...p.state.tokens.records.values()]
    expect(records).toHaveLength(1)
    expect(records[0]?.sha256).toBe(sha256(token))
    expect(JSON.stringify(records)).not.toContain(token)
    const ws = p.state.get(id)
    expect(ws).toMatchObject({ status: 'online', name: 'Lead', url: 'http://127.0.0.1:8000' })
  })

  it('re-registers with the token (no new token) and rejects a missing or wrong one', async () => {
    p = await startTestPlatform()
    const { id, token } = await p.register()
    const again = await p.call('POST', '/registry/register', {
      body: { id, url: 'http://127.0.0.1:8001', agent_card: {} },
      token,
    })
    expect(again.status).toBe(200)
    expect(again.body).toEqual({ status: 'registered', delivery_mode: 'push' })
    expect(p.state.get(id)?.url).toBe('http://127.0.0.1:8001')

    const missing = await p.call('POST', '/registry/register', {
      body: { id, url: 'http://127.0.0.1:1', agent_card: {} },
    })
    expect(missing).toMatchObject({ status: 401, body: { error: 'missing workspace auth token' } })
    const wrong = await p.call('POST', '/registry/register', {
      body: { id, url: 'http://127.0.0.1:1', agent_card: {} },
      token: 'x'.repeat(43),
    })
    expect(wrong).toMatchObject({ status: 401, body: { error: 'invalid workspace auth token' } })
    const other = await p.register()
    const foreign = await p.call('POST', '/registry/register', {
      body: { id, url: 'http://127.0.0.1:1', agent_card: {} },
      token: other.token,
    })
    expect(foreign.status).toBe(401)
  })

  it('validates the body: UUID id, push URL, agent_card present, delivery_mode', async () => {
    p = await startTestPlatform()
    const bad = await p.call('POST', '/registry/register', {
      body: { id: 'nope', url: 'http://x', agent_card: {} },
    })
    expect(bad).toMatchObject({ status: 400, body: { error: 'invalid request body' } })
    expect(bad.body.detail).toContain('id')
    const noUrl = await p.call('POST', '/registry/register', { body: { id: randomUUID(), agent_card: {} } })
    expect(noUrl).toMatchObject({ status: 400, body: { error: 'invalid request body' } })
    const ftp = await p.call('POST', '/registry/register', {
      body: { id: randomUUID(), url: 'ftp://host', agent_card: {} },
    })
    expect(ftp.status).toBe(400)
    const mode = await p.call('POST', '/registry/register', {
      body: { id: randomUUID(), url: 'http://127.0.0.1:1', agent_card: {}, delivery_mode: 'carrier-pigeon' },
    })
    expect(mode).toMatchObject({ status: 400, body: { error: "delivery_mode must be 'push' or 'poll'" } })
    const noCard = await p.call('POST', '/registry/register', {
      body: { id: randomUUID(), url: 'http://127.0.0.1:1' },
    })
    expect(noCard).toMatchObject({ status: 400, body: { error: 'invalid request body' } })
    expect(noCard.body.detail).toContain('agent_card')
    const notJson = await p.call('POST', '/registry/register', { body: '{not json' })
    expect(notJson).toMatchObject({ status: 400, body: { error: 'invalid request body' } })
  })

  it('accepts poll mode without a URL and keeps the stored mode on later registers', async () => {
    p = await startTestPlatform()
    const { id, token } = await p.register(randomUUID(), { delivery_mode: 'poll', url: undefined })
    expect(p.state.get(id)?.delivery_mode).toBe('poll')
    const again = await p.call('POST', '/registry/register', { body: { id, agent_card: {} }, token })
    expect(again).toMatchObject({ status: 200, body: { status: 'registered', delivery_mode: 'poll' } })
  })

  it('refuses to resurrect a removed workspace (410)', async () => {
    p = await startTestPlatform()
    const { id, token } = await p.register()
    expect((await p.call('DELETE', `/workspaces/${id}`)).status).toBe(200)
    const body = { id, url: 'http://127.0.0.1:1', agent_card: {} }
    const res = await p.call('POST', '/registry/register', { body, token })
    expect(res.status).toBe(410)
    const fresh = await p.call('POST', '/registry/register', { body })
    expect(fresh.status).toBe(410)
    expect(fresh.body.auth_token).toBeUndefined()
  })
})

describe('POST /registry/heartbeat', () => {
  it('stores the reported fields, answers ok, and gates on the token', async () => {
    p = await startTestPlatform()
    const { id, token } = await p.register()
    const ok = await p.call('POST', '/registry/heartbeat', {
      body: { workspace_id: id, active_tasks: 1, current_task: 'Summarising', uptime_seconds: 42 },
      token,
    })
    expect(ok).toMatchObject({ status: 200, body: { status: 'ok' } })
    expect(p.state.get(id)).toMatchObject({
      active_tasks: 1,
      current_task: 'Summarising',
      uptime_seconds: 42,
    })
    const missing = await p.call('POST', '/registry/heartbeat', { body: { workspace_id: id } })
    expect(missing).toMatchObject({ status: 401, body: { error: 'missing workspace auth token' } })
    const wrong = await p.call('POST', '/registry/heartbeat', { body: { workspace_id: id }, token: 'nope' })
    expect(wrong).toMatchObject({ status: 401, body: { error: 'invalid workspace auth token' } })
    const bad = await p.call('POST', '/registry/heartbeat', { body: { active_tasks: 1 } })
    expect(bad).toMatchObject({ status: 400, body: { error: 'invalid request body' } })
  })

  it('normalises nulls and odd numbers instead of rejecting the beat', async () => {
    p = await startTestPlatform()
    const { id, token } = await p.register()
    const res = await p.call('POST', '/registry/heartbeat', {
      body: {
        workspace_id: id,
        current_task: null,
        active_tasks: -1,
        error_rate: null,
        runtime_metadata: { capabilities: { session: 'yes', heartbeat: true }, idle_timeout_seconds: 900 },
      },
      token,
    })
    expect(res.status).toBe(200)
    expect(p.state.get(id)).toMatchObject({
      active_tasks: 0,
      current_task: '',
      capabilities: { session: false, heartbeat: true },
    })
    const wrongType = await p.call('POST', '/registry/heartbeat', {
      body: { workspace_id: id, active_tasks: 'two' },
      token,
    })
    expect(wrongType.status).toBe(400)
  })

  it('rejects fractional counters like the Go binder (int fields): 400 invalid request body', async () => {
    p = await startTestPlatform()
    const { id, token } = await p.register()
    for (const field of ['active_tasks', 'uptime_seconds', 'monthly_spend']) {
      const res = await p.call('POST', '/registry/heartbeat', {
        body: { workspace_id: id, [field]: 1.5 },
        token,
      })
      expect(res).toMatchObject({ status: 400, body: { error: 'invalid request body' } })
    }
    const ok = await p.call('POST', '/registry/heartbeat', {
      body: { workspace_id: id, active_tasks: 2, uptime_seconds: 7, monthly_spend: 0, error_rate: 0.25 },
      token,
    })
    expect(ok.status).toBe(200)
  })

  it('answers 200 for an unknown workspace (like upstream) without creating it', async () => {
    p = await startTestPlatform()
    const id = randomUUID()
    const res = await p.call('POST', '/registry/heartbeat', { body: { workspace_id: id } })
    expect(res).toMatchObject({ status: 200, body: { status: 'ok' } })
    expect(p.state.get(id)).toBeUndefined()
  })
})

describe('update-card, peers, discover, check-access', () => {
  it('update-card replaces the card', async () => {
    p = await startTestPlatform()
    const { id, token } = await p.register()
    const res = await p.call('POST', '/registry/update-card', {
      body: { workspace_id: id, agent_card: { name: 'New' } },
      token,
    })
    expect(res).toMatchObject({ status: 200, body: { status: 'updated' } })
    expect(p.state.get(id)?.agent_card).toEqual({ name: 'New' })
    expect(
      (await p.call('POST', '/registry/update-card', { body: { workspace_id: id, agent_card: {} } })).status,
    ).toBe(401)
  })

  it('lists siblings, children and parent; discover honours the hierarchy', async () => {
    p = await startTestPlatform()
    const lead = await p.register()
    const worker = await p.register()
    const sibling = await p.register()
    const other = await p.register()
    const cousin = await p.register()
    await p.call('PATCH', `/workspaces/${worker.id}`, {
      body: { parent_id: lead.id, role: 'engineer' },
      token: worker.token,
    })
    await p.call('PATCH', `/workspaces/${sibling.id}`, { body: { parent_id: lead.id }, token: sibling.token })
    await p.call('PATCH', `/workspaces/${cousin.id}`, { body: { parent_id: other.id }, token: cousin.token })

    const peers = await p.call('GET', `/registry/${worker.id}/peers`, { token: worker.token })
    expect(peers.status).toBe(200)
    expect(peers.body.map((w: { id: string }) => w.id)).toEqual([sibling.id, lead.id])
    expect(peers.body[0]).toMatchObject({ tier: 3, status: 'online', parent_id: lead.id, active_tasks: 0 })
    const filtered = await p.call('GET', `/registry/${lead.id}/peers?q=ENGIN`, { token: lead.token })
    expect(filtered.body.map((w: { id: string }) => w.id)).toEqual([worker.id])
    expect((await p.call('GET', `/registry/${worker.id}/peers`)).status).toBe(401)

    const discover = await p.call('GET', `/registry/discover/${lead.id}`, {
      token: worker.token,
      headers: { 'X-Workspace-ID': worker.id },
    })
    expect(discover).toMatchObject({ status: 200, body: { id: lead.id, url: 'http://127.0.0.1:9' } })
    const denied = await p.call('GET', `/registry/discover/${cousin.id}`, {
      token: worker.token,
      headers: { 'X-Workspace-ID': worker.id },
    })
    expect(denied).toMatchObject({
      status: 403,
      body: { error: 'not authorized to discover this workspace' },
    })
    const noHeader = await p.call('GET', `/registry/discover/${lead.id}`, { token: worker.token })
    expect(noHeader).toMatchObject({ status: 400, body: { error: 'X-Workspace-ID header is required' } })
    const unknown = await p.call('GET', `/registry/discover/${randomUUID()}`, {
      token: worker.token,
      headers: { 'X-Workspace-ID': worker.id },
    })
    expect(unknown.status).toBe(404)
    const access = await p.call('POST', '/registry/check-access', {
      body: { caller_id: worker.id, target_id: cousin.id },
    })
    expect(access.body).toEqual({ allowed: false })
  })

  it('discover points poll-mode targets at the platform proxy', async () => {
    p = await startTestPlatform()
    const caller = await p.register()
    const poller = await p.register(randomUUID(), { delivery_mode: 'poll', url: undefined })
    const res = await p.call('GET', `/registry/discover/${poller.id}`, {
      token: caller.token,
      headers: { 'X-Workspace-ID': caller.id },
    })
    expect(res.body.url).toBe(`${p.url}/workspaces/${poller.id}/a2a`)
  })
})
