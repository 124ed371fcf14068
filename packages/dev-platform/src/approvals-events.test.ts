import { afterEach, describe, expect, it } from 'vitest'
import { collectEvents, startTestPlatform, type TestPlatform } from './test-helpers.js'

let p: TestPlatform
afterEach(async () => p?.close())

/** Reads SSE frames from a live `events/stream` response until `until` matches one. */
async function readFrames(response: Response, until: (frame: Record<string, unknown>) => boolean) {
  const reader = (response.body as ReadableStream<Uint8Array>).getReader()
  const decoder = new TextDecoder()
  let buffer = ''
  const frames: Array<Record<string, unknown>> = []
  let sawPing = false
  while (true) {
    const { value, done } = await reader.read()
    if (done) break
    buffer += decoder.decode(value, { stream: true })
    let end = buffer.indexOf('\n\n')
    while (end >= 0) {
      const chunk = buffer.slice(0, end)
      buffer = buffer.slice(end + 2)
      if (chunk === ': ping') sawPing = true
      if (chunk.startsWith('data: ')) {
        const frame = JSON.parse(chunk.slice(6)) as Record<string, unknown>
        frames.push(frame)
        if (until(frame)) {
          await reader.cancel()
          return { frames, sawPing }
        }
      }
      end = buffer.indexOf('\n\n')
    }
  }
  return { frames, sawPing }
}

describe('approvals', () => {
  it('creates, escalates to the parent, lists, and decides with the documented events', async () => {
    p = await startTestPlatform()
    const events = collectEvents(p)
    const lead = await p.register()
    const worker = await p.register()
    await p.call('PATCH', `/workspaces/${worker.id}`, { body: { parent_id: lead.id }, token: worker.token })
    const created = await p.call('POST', `/workspaces/${worker.id}/approvals`, {
      body: { action: 'deploy_to_production', reason: 'QA passed', task_id: 't-77', context: { pr: 12 } },
      token: worker.token,
    })
    expect(created).toMatchObject({
      status: 201,
      body: { approval_id: expect.any(String), status: 'pending' },
    })
    const approvalId = created.body.approval_id
    expect(events.find((e) => e.event === 'APPROVAL_REQUESTED')).toMatchObject({
      workspaceId: worker.id,
      payload: {
        approval_id: approvalId,
        action: 'deploy_to_production',
        reason: 'QA passed',
        task_id: 't-77',
      },
    })
    expect(events.find((e) => e.event === 'APPROVAL_ESCALATED')).toMatchObject({
      workspaceId: lead.id,
      payload: { approval_id: approvalId, from_workspace_id: worker.id },
    })
    const listed = await p.call('GET', `/workspaces/${worker.id}/approvals`, { token: worker.token })
    expect(listed.body[0]).toEqual({
      id: approvalId,
      task_id: 't-77',
      action: 'deploy_to_production',
      reason: 'QA passed',
      status: 'pending',
      decided_by: null,
      decided_at: null,
      created_at: expect.any(String),
    })
    const pending = await p.call('GET', '/approvals/pending')
    expect(pending.body[0]).toMatchObject({ id: approvalId, workspace_id: worker.id, status: 'pending' })

    const bad = await p.call('POST', `/workspaces/${worker.id}/approvals/${approvalId}/decide`, {
      body: { decision: 'maybe' },
      token: worker.token,
    })
    expect(bad).toMatchObject({ status: 400, body: { error: "decision must be 'approved' or 'denied'" } })
    const decided = await p.call('POST', `/workspaces/${worker.id}/approvals/${approvalId}/decide`, {
      body: { decision: 'approved', decided_by: 'alice' },
      token: worker.token,
    })
    expect(decided).toMatchObject({ status: 200, body: { status: 'approved', approval_id: approvalId } })
    expect(events.find((e) => e.event === 'APPROVAL_APPROVED')?.payload).toEqual({
      approval_id: approvalId,
      decision: 'approved',
      decided_by: 'alice',
    })
    expect(events.find((e) => e.event === 'APPROVAL_DECIDED')?.payload).toEqual({
      approval_id: approvalId,
      status: 'approved',
      decided_by: 'alice',
    })
    const twice = await p.call('POST', `/workspaces/${worker.id}/approvals/${approvalId}/decide`, {
      body: { decision: 'denied' },
      token: worker.token,
    })
    expect(twice).toMatchObject({ status: 404, body: { error: 'approval not found or already decided' } })
    expect(
      await p.call('POST', `/workspaces/${worker.id}/approvals`, { body: {}, token: worker.token }),
    ).toMatchObject({
      status: 400,
    })
  })

  it('auto-denies stale approvals when the pending list is read', async () => {
    let clock = 1_000
    p = await startTestPlatform({ now: () => clock, approvalExpiryMs: 500 })
    const events = collectEvents(p)
    const ws = await p.register()
    const created = await p.call('POST', `/workspaces/${ws.id}/approvals`, {
      body: { action: 'x' },
      token: ws.token,
    })
    clock += 501
    expect((await p.call('GET', '/approvals/pending')).body).toEqual([])
    expect(events.find((e) => e.event === 'APPROVAL_DENIED')?.payload).toEqual({
      approval_id: created.body.approval_id,
      decision: 'denied',
      decided_by: 'auto-expired',
    })
  })
})

describe('approval expiry without an operator', () => {
  it('the sweep denies a request nobody decided as auto-expired, visible to the requesting workspace', async () => {
    p = await startTestPlatform({ approvalExpiryMs: 60, sweepIntervalMs: 10 })
    const events = collectEvents(p)
    const ws = await p.register()
    const created = await p.call('POST', `/workspaces/${ws.id}/approvals`, {
      body: { action: 'x' },
      token: ws.token,
    })
    const approvalId = created.body.approval_id
    const deadline = Date.now() + 5_000
    let row: Record<string, unknown> | undefined
    while (Date.now() < deadline) {
      row = (await p.call('GET', `/workspaces/${ws.id}/approvals`, { token: ws.token })).body[0]
      if (row?.status !== 'pending') break
      await new Promise((r) => setTimeout(r, 20))
    }
    expect(row).toMatchObject({ id: approvalId, status: 'denied', decided_by: 'auto-expired' })
    expect(events.filter((e) => e.event === 'APPROVAL_DENIED').map((e) => e.payload)).toEqual([
      { approval_id: approvalId, decision: 'denied', decided_by: 'auto-expired' },
    ])
    const late = await p.call('POST', `/workspaces/${ws.id}/approvals/${approvalId}/decide`, {
      body: { decision: 'approved' },
      token: ws.token,
    })
    expect(late.status).toBe(404)
  })
})

describe('GET /workspaces/:id/events/stream (SSE)', () => {
  it('starts with a ping and delivers this workspace’s events only', async () => {
    p = await startTestPlatform()
    const ws = await p.register()
    const other = await p.register()
    const response = await fetch(`${p.url}/workspaces/${ws.id}/events/stream`, {
      headers: { Authorization: `Bearer ${ws.token}` },
    })
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toContain('text/event-stream')
    const reading = readFrames(response, (frame) => frame.type === 'APPROVAL_APPROVED')
    await p.call('POST', '/registry/heartbeat', { body: { workspace_id: other.id }, token: other.token })
    const created = await p.call('POST', `/workspaces/${ws.id}/approvals`, {
      body: { action: 'x' },
      token: ws.token,
    })
    await p.call('POST', `/workspaces/${ws.id}/approvals/${created.body.approval_id}/decide`, {
      body: { decision: 'approved' },
      token: ws.token,
    })
    const { frames, sawPing } = await reading
    expect(sawPing).toBe(true)
    expect(frames.map((f) => f.type)).toEqual(['APPROVAL_REQUESTED', 'APPROVAL_APPROVED'])
    expect(frames[1]).toEqual({
      type: 'APPROVAL_APPROVED',
      timestamp: expect.any(Number),
      data: { approval_id: created.body.approval_id, decision: 'approved', decided_by: 'human' },
    })
  })

  it('needs the workspace token and a known workspace', async () => {
    p = await startTestPlatform()
    const ws = await p.register()
    expect((await fetch(`${p.url}/workspaces/${ws.id}/events/stream`)).status).toBe(401)
    const unknown = await p.call('GET', '/workspaces/00000000-0000-4000-8000-000000000000/events/stream', {
      headers: { Authorization: 'Bearer x' },
    })
    expect(unknown.status).toBe(401)
    const lenient = await startTestPlatform({ lenient: true })
    const missing = await lenient.call(
      'GET',
      '/workspaces/00000000-0000-4000-8000-000000000000/events/stream',
    )
    expect(missing).toMatchObject({ status: 404, body: { error: 'workspace not found' } })
    await lenient.close()
  })

  it('close() ends open streams', async () => {
    p = await startTestPlatform()
    const ws = await p.register()
    const response = await fetch(`${p.url}/workspaces/${ws.id}/events/stream`, {
      headers: { Authorization: `Bearer ${ws.token}` },
    })
    const reading = readFrames(response, () => false)
    await p.close()
    // The stream ends (read() reports done) instead of hanging until the test times out.
    const { sawPing, frames } = await reading
    expect(sawPing).toBe(true)
    expect(frames).toEqual([])
  })
})
