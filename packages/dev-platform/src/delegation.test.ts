import { randomUUID } from 'node:crypto'
import { afterEach, describe, expect, it, vi } from 'vitest'
import {
  collectEvents,
  type FakeAgent,
  startFakeAgent,
  startTestPlatform,
  type TestPlatform,
} from './test-helpers.js'

let p: TestPlatform
let agent: FakeAgent | undefined
afterEach(async () => {
  await p?.close()
  await agent?.close()
  agent = undefined
})

async function pair(url: string) {
  const lead = await p.register(randomUUID(), { url: 'http://127.0.0.1:9' })
  const worker = await p.register(randomUUID(), { url })
  await p.call('PATCH', `/workspaces/${worker.id}`, { body: { parent_id: lead.id }, token: worker.token })
  return { lead, worker }
}

const list = (ws: { id: string; token: string }) =>
  p.call('GET', `/workspaces/${ws.id}/delegations`, { token: ws.token })

describe('platform-managed delegation (POST …/delegate, GET …/delegations)', () => {
  it('to a poll-mode target: the task lands in its inbox and the delegation stays queued (no reply link; README)', async () => {
    p = await startTestPlatform()
    const events = collectEvents(p)
    const lead = await p.register(randomUUID(), { url: '', delivery_mode: 'poll' })
    const worker = await p.register(randomUUID(), { url: '', delivery_mode: 'poll' })
    await p.call('PATCH', `/workspaces/${worker.id}`, { body: { parent_id: lead.id }, token: worker.token })
    const res = await p.call('POST', `/workspaces/${lead.id}/delegate`, {
      body: { target_id: worker.id, task: 'Summarise the logs' },
      token: lead.token,
    })
    const delegationId = res.body.delegation_id
    await vi.waitFor(
      () =>
        expect(events.some((e) => e.event === 'DELEGATION_STATUS' && e.payload.status === 'queued')).toBe(
          true,
        ),
      { timeout: 2000, interval: 10 },
    )
    const inbox = await p.call('GET', `/workspaces/${worker.id}/activity?type=a2a_receive`, {
      token: worker.token,
    })
    expect(inbox.body[0]).toMatchObject({
      source_id: lead.id,
      method: 'message/send',
      request_body: {
        params: { message: { messageId: delegationId, metadata: { delegation_id: delegationId } } },
      },
    })
    // The worker answers the only way a poll agent can: a new message to the delegator.
    const reply = await p.call('POST', `/workspaces/${lead.id}/a2a`, {
      body: {
        jsonrpc: '2.0',
        id: 'r1',
        method: 'message/send',
        params: { message: { role: 'user', parts: [{ kind: 'text', text: 'logs summarised' }] } },
      },
      headers: { 'X-Workspace-ID': worker.id },
      token: worker.token,
    })
    expect(reply).toMatchObject({ status: 200, body: { status: 'queued', delivery_mode: 'poll' } })
    const leadInbox = await p.call('GET', `/workspaces/${lead.id}/activity?type=a2a_receive`, {
      token: lead.token,
    })
    expect(leadInbox.body[0]).toMatchObject({ source_id: worker.id, method: 'message/send' })
    const rows = (await list(lead)).body as Array<{ status: string; delegation_id?: string }>
    expect(rows.filter((r) => r.delegation_id === delegationId).map((r) => r.status)).toEqual([
      'queued',
      'queued',
    ])
    expect(events.map((e) => e.event)).not.toContain('DELEGATION_COMPLETE')
  })

  it('delegates, dispatches in the background and records the result', async () => {
    p = await startTestPlatform()
    agent = await startFakeAgent()
    const events = collectEvents(p)
    const { lead, worker } = await pair(agent.url)
    const res = await p.call('POST', `/workspaces/${lead.id}/delegate`, {
      body: { target_id: worker.id, task: 'Write unit tests', idempotency_key: 'k1' },
      token: lead.token,
    })
    expect(res.status).toBe(202)
    expect(res.body).toEqual({ delegation_id: expect.any(String), status: 'delegated', target_id: worker.id })
    const delegationId = res.body.delegation_id
    await vi.waitFor(() => expect(events.map((e) => e.event)).toContain('DELEGATION_COMPLETE'), {
      timeout: 2000,
      interval: 10,
    })
    const forwarded = agent.received[0] as { params: { message: Record<string, unknown> } }
    expect(forwarded.params.message).toMatchObject({
      messageId: delegationId,
      parts: [{ kind: 'text', text: 'Write unit tests' }],
      metadata: { delegation_id: delegationId },
    })
    const rows = (await list(lead)).body
    expect(rows).toHaveLength(2)
    expect(rows[0]).toMatchObject({
      type: 'delegation',
      source_id: lead.id,
      target_id: worker.id,
      status: 'completed',
      delegation_id: delegationId,
      response_preview: 'echo: Write unit tests',
    })
    expect(rows[1]).toMatchObject({ status: 'completed', summary: expect.stringContaining('Delegating to') })
    expect(events.map((e) => e.event).filter((e) => e.startsWith('DELEGATION_'))).toEqual([
      'DELEGATION_SENT',
      'DELEGATION_STATUS',
      'DELEGATION_COMPLETE',
    ])
    // The worker saw the message as coming from the lead.
    expect(p.state.activity.rows.find((r) => r.workspace_id === worker.id)?.source_id).toBe(lead.id)

    const again = await p.call('POST', `/workspaces/${lead.id}/delegate`, {
      body: { target_id: worker.id, task: 'Write unit tests', idempotency_key: 'k1' },
      token: lead.token,
    })
    expect(again).toMatchObject({
      status: 200,
      body: { delegation_id: delegationId, status: 'completed', idempotent_hit: true },
    })
  })

  it('validates the request', async () => {
    p = await startTestPlatform()
    const lead = await p.register()
    const call = (body: unknown) =>
      p.call('POST', `/workspaces/${lead.id}/delegate`, { body, token: lead.token })
    expect(await call({ task: 'x' })).toMatchObject({
      status: 400,
      body: { error: 'invalid delegation request' },
    })
    expect(await call({ target_id: 'nope', task: 'x' })).toMatchObject({
      status: 400,
      body: { error: 'target_id must be a valid UUID' },
    })
    expect(await call({ target_id: lead.id, task: 'x' })).toMatchObject({
      status: 400,
      body: { error: 'self-delegation not permitted' },
    })
    expect((await p.call('POST', `/workspaces/${lead.id}/delegate`, { body: { task: 'x' } })).status).toBe(
      401,
    )
  })

  it('fails (after one retry) when the target is unreachable, and a failed key can be retried', async () => {
    p = await startTestPlatform({ delegationRetryDelayMs: 5 })
    const events = collectEvents(p)
    const { lead, worker } = await pair('http://127.0.0.1:9')
    const res = await p.call('POST', `/workspaces/${lead.id}/delegate`, {
      body: { target_id: worker.id, task: 'x', idempotency_key: 'k' },
      token: lead.token,
    })
    await vi.waitFor(() => expect(events.map((e) => e.event)).toContain('DELEGATION_FAILED'), {
      timeout: 2000,
    })
    const failed = events.find((e) => e.event === 'DELEGATION_FAILED')
    expect(failed?.payload).toEqual({
      delegation_id: res.body.delegation_id,
      target_id: worker.id,
      error: 'failed to reach workspace agent',
    })
    const rows = (await list(lead)).body
    expect(rows[0]).toMatchObject({ status: 'failed', error: 'failed to reach workspace agent' })
    const retry = await p.call('POST', `/workspaces/${lead.id}/delegate`, {
      body: { target_id: worker.id, task: 'x', idempotency_key: 'k' },
      token: lead.token,
    })
    expect(retry.status).toBe(202)
    expect(retry.body.delegation_id).not.toBe(res.body.delegation_id)
  })

  it('a queued delegation is completed by the queue drain', async () => {
    p = await startTestPlatform({ proxyTimeoutMs: 50 })
    agent = await startFakeAgent()
    const events = collectEvents(p)
    const { lead, worker } = await pair(agent.url)
    agent.delayMs = 300
    const res = await p.call('POST', `/workspaces/${lead.id}/delegate`, {
      body: { target_id: worker.id, task: 'slow job' },
      token: lead.token,
    })
    await vi.waitFor(async () => expect((await list(lead)).body[0]?.status).toBe('queued'), { timeout: 2000 })
    agent.delayMs = 0
    await p.call('POST', '/registry/heartbeat', { body: { workspace_id: worker.id }, token: worker.token })
    await vi.waitFor(
      () =>
        expect(events.find((e) => e.event === 'DELEGATION_COMPLETE')?.payload).toMatchObject({
          via: 'queue_drain',
        }),
      { timeout: 2000 },
    )
    const rows = (await list(lead)).body
    expect(rows[0]).toMatchObject({
      delegation_id: res.body.delegation_id,
      status: 'completed',
      response_preview: 'echo: slow job',
    })
  })
})

describe('agent-managed delegation (POST …/delegations/record, …/delegations/:id/update)', () => {
  it('records, then completes or fails', async () => {
    p = await startTestPlatform()
    const events = collectEvents(p)
    const lead = await p.register()
    const target = randomUUID()
    const rec = await p.call('POST', `/workspaces/${lead.id}/delegations/record`, {
      body: { target_id: target, task: 'Do it', delegation_id: 'd-1' },
      token: lead.token,
    })
    expect(rec).toMatchObject({ status: 202, body: { delegation_id: 'd-1', status: 'recorded' } })
    expect((await list(lead)).body[0]).toMatchObject({
      status: 'dispatched',
      delegation_id: 'd-1',
      target_id: target,
    })

    const queued = await p.call('POST', `/workspaces/${lead.id}/delegations/d-1/update`, {
      body: { status: 'queued' },
      token: lead.token,
    })
    expect(queued).toMatchObject({ status: 400, body: { error: "status must be 'completed' or 'failed'" } })
    const done = await p.call('POST', `/workspaces/${lead.id}/delegations/d-1/update`, {
      body: { status: 'completed', response_preview: 'All 14 tests pass' },
      token: lead.token,
    })
    expect(done).toMatchObject({ status: 200, body: { status: 'completed', delegation_id: 'd-1' } })
    const rows = (await list(lead)).body
    expect(rows[0]).toMatchObject({
      status: 'completed',
      delegation_id: 'd-1',
      response_preview: 'All 14 tests pass',
    })
    expect(rows[1]).toMatchObject({ status: 'completed', delegation_id: 'd-1' })

    await p.call('POST', `/workspaces/${lead.id}/delegations/record`, {
      body: { target_id: target, task: 'Other', delegation_id: 'd-2' },
      token: lead.token,
    })
    await p.call('POST', `/workspaces/${lead.id}/delegations/d-2/update`, {
      body: { status: 'failed', error: 'peer offline' },
      token: lead.token,
    })
    expect((await list(lead)).body[0]).toMatchObject({
      status: 'failed',
      error: 'peer offline',
      delegation_id: 'd-2',
    })
    expect(events.map((e) => e.event).filter((e) => e.startsWith('DELEGATION_'))).toEqual([
      'DELEGATION_SENT',
      'DELEGATION_COMPLETE',
      'DELEGATION_SENT',
      'DELEGATION_FAILED',
    ])
    const bad = await p.call('POST', `/workspaces/${lead.id}/delegations/record`, {
      body: { target_id: 'x', task: 'Other', delegation_id: 'd-3' },
      token: lead.token,
    })
    expect(bad).toMatchObject({ status: 400, body: { error: 'target_id must be a valid UUID' } })
  })
})
