import { randomUUID } from 'node:crypto'
import { afterEach, describe, expect, it } from 'vitest'
import { sendBody, startTestPlatform, type TestPlatform, type TestResponse } from './test-helpers.js'

let p: TestPlatform
afterEach(async () => p?.close())

async function pollWorkspace() {
  return p.register(randomUUID(), { delivery_mode: 'poll', url: undefined })
}

describe('GET /workspaces/:id/activity', () => {
  it('serves a since_id cursor oldest-first and never skips rows written in the same millisecond', async () => {
    p = await startTestPlatform({ now: () => 1_700_000_000_000 })
    const ws = await pollWorkspace()
    for (const text of ['one', 'two', 'three', 'four']) {
      await p.call('POST', `/workspaces/${ws.id}/a2a`, { body: sendBody(text) })
    }
    const all = await p.call('GET', `/workspaces/${ws.id}/activity?type=a2a_receive`, { token: ws.token })
    const texts = (rows: TestResponse['body'][]) =>
      rows.map((r) => r.request_body.params.message.parts[0].text)
    expect(texts(all.body)).toEqual(['four', 'three', 'two', 'one'])
    const first = all.body[3].id
    const after = await p.call('GET', `/workspaces/${ws.id}/activity?type=a2a_receive&since_id=${first}`, {
      token: ws.token,
    })
    expect(texts(after.body)).toEqual(['two', 'three', 'four'])
    const limited = await p.call('GET', `/workspaces/${ws.id}/activity?since_id=${first}&limit=1`, {
      token: ws.token,
    })
    expect(texts(limited.body)).toEqual(['two'])
    const last = after.body.at(-1).id
    const empty = await p.call('GET', `/workspaces/${ws.id}/activity?since_id=${last}`, { token: ws.token })
    expect(empty).toMatchObject({ status: 200, body: [] })
  })

  it('answers 410 for an unknown, foreign or expired cursor', async () => {
    let clock = 1_000_000
    p = await startTestPlatform({ now: () => clock, activityRetentionMs: 1_000, sweepIntervalMs: 60_000 })
    const ws = await pollWorkspace()
    const other = await pollWorkspace()
    await p.call('POST', `/workspaces/${ws.id}/a2a`, { body: sendBody('old') })
    await p.call('POST', `/workspaces/${other.id}/a2a`, { body: sendBody('theirs') })
    const probe = await p.call(
      'GET',
      `/workspaces/${ws.id}/activity?since_id=00000000-0000-0000-0000-000000000000&limit=1`,
      { token: ws.token },
    )
    expect(probe.status).toBe(410)
    expect(probe.body.error).toMatch(/^since_id cursor not found .*omit since_id to reset$/)
    const foreignId = p.state.activity.rows.find((r) => r.workspace_id === other.id)?.id
    expect(
      (await p.call('GET', `/workspaces/${ws.id}/activity?since_id=${foreignId}`, { token: ws.token }))
        .status,
    ).toBe(410)

    const oldId = p.state.activity.rows.find((r) => r.workspace_id === ws.id)?.id
    expect(
      (await p.call('GET', `/workspaces/${ws.id}/activity?since_id=${oldId}`, { token: ws.token })).status,
    ).toBe(200)
    clock += 1_001
    p.platform.sweep()
    const expired = await p.call('GET', `/workspaces/${ws.id}/activity?since_id=${oldId}`, {
      token: ws.token,
    })
    expect(expired.status).toBe(410)
  })

  it('filters by since_secs, source and peer_id and validates them', async () => {
    let clock = 10_000_000
    p = await startTestPlatform({ now: () => clock })
    const ws = await pollWorkspace()
    const peer = await p.register()
    await p.call('POST', `/workspaces/${ws.id}/a2a`, { body: sendBody('from user') })
    clock += 5_000
    await p.call('POST', `/workspaces/${ws.id}/a2a`, {
      body: sendBody('from peer'),
      headers: { 'X-Workspace-ID': peer.id },
      token: peer.token,
    })
    const q = (query: string) => p.call('GET', `/workspaces/${ws.id}/activity?${query}`, { token: ws.token })
    expect((await q('since_secs=2')).body).toHaveLength(1)
    expect((await q('since_secs=10')).body).toHaveLength(2)
    expect((await q('source=canvas')).body[0].source_id).toBeNull()
    expect((await q('source=agent')).body[0].source_id).toBe(peer.id)
    expect((await q(`peer_id=${peer.id}`)).body).toHaveLength(1)
    expect(await q('source=robots')).toMatchObject({
      status: 400,
      body: { error: "source must be 'canvas' or 'agent'" },
    })
    expect((await q('since_secs=0')).status).toBe(400)
    expect((await q('since_secs=abc')).status).toBe(400)
    expect((await q('peer_id=nope')).status).toBe(400)
  })

  it('row shape: nullable keys present, body keys absent when null', async () => {
    p = await startTestPlatform()
    const ws = await p.register()
    await p.call('POST', `/workspaces/${ws.id}/activity`, {
      body: { activity_type: 'agent_log', summary: 'hello' },
      token: ws.token,
    })
    const res = await p.call('GET', `/workspaces/${ws.id}/activity`, { token: ws.token })
    expect(Object.keys(res.body[0]).sort()).toEqual(
      [
        'activity_type',
        'created_at',
        'duration_ms',
        'error_detail',
        'id',
        'method',
        'source_id',
        'status',
        'summary',
        'target_id',
        'workspace_id',
      ].sort(),
    )
    expect(res.body[0].created_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/)
  })
})

describe('POST /workspaces/:id/activity', () => {
  it('logs whitelisted types, rejects others and spoofed sources', async () => {
    p = await startTestPlatform()
    const ws = await p.register()
    const ok = await p.call('POST', `/workspaces/${ws.id}/activity`, {
      body: {
        activity_type: 'a2a_send',
        target_id: randomUUID(),
        method: 'message/send',
        metadata: { k: 1 },
      },
      token: ws.token,
    })
    expect(ok).toMatchObject({ status: 200, body: { status: 'logged' } })
    expect(p.state.activity.rows.at(-1)).toMatchObject({
      source_id: ws.id,
      request_body: { k: 1 },
      status: 'ok',
    })
    const badType = await p.call('POST', `/workspaces/${ws.id}/activity`, {
      body: { activity_type: 'delegation' },
      token: ws.token,
    })
    expect(badType.status).toBe(400)
    expect(badType.body.error).toMatch(/^invalid activity_type, must be one of: a2a_send/)
    const spoof = await p.call('POST', `/workspaces/${ws.id}/activity`, {
      body: { activity_type: 'agent_log', source_id: randomUUID() },
      token: ws.token,
    })
    expect(spoof).toMatchObject({
      status: 403,
      body: { error: 'source_id must match authenticated workspace' },
    })
  })
})

describe('POST /workspaces/:id/notify', () => {
  it('stores a notify row visible in the inbox and validates the body', async () => {
    p = await startTestPlatform()
    const ws = await p.register()
    const res = await p.call('POST', `/workspaces/${ws.id}/notify`, {
      body: {
        message: 'Done — the report is attached.',
        attachments: [
          { uri: 'workspace:/workspace/r.pdf', name: 'r.pdf', mimeType: 'application/pdf', size: 3 },
        ],
      },
      token: ws.token,
    })
    expect(res).toMatchObject({ status: 200, body: { status: 'sent' } })
    const rows = await p.call('GET', `/workspaces/${ws.id}/activity?type=a2a_receive`, { token: ws.token })
    expect(rows.body[0]).toMatchObject({
      method: 'notify',
      source_id: null,
      summary: 'Agent message: Done — the report is attached.',
      response_body: {
        result: 'Done — the report is attached.',
        parts: [{ kind: 'file', file: { uri: 'workspace:/workspace/r.pdf', name: 'r.pdf' } }],
      },
    })
    const noMessage = await p.call('POST', `/workspaces/${ws.id}/notify`, {
      body: { type: 'delegation_result' },
      token: ws.token,
    })
    expect(noMessage).toMatchObject({ status: 400, body: { error: 'message is required' } })
    const badAttachment = await p.call('POST', `/workspaces/${ws.id}/notify`, {
      body: { message: 'x', attachments: [{ uri: 'a' }] },
      token: ws.token,
    })
    expect(badAttachment).toMatchObject({
      status: 400,
      body: { error: 'attachment[0]: uri and name are required' },
    })
  })
})
