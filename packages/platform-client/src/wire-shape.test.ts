import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type RecordedRequest, startScriptedServer } from '../test/support/scripted-server.js'
import { PlatformClient } from './client.js'
import { InboxCursorFile } from './inbox-cursor-file.js'
import { InboxPoller } from './inbox-poller.js'

// The exact wire of every call: paths, methods, body and query names, and the identity headers (bearer token,
// X-Workspace-ID, X-Molecule-Org-Id, Origin) that a strict platform checks; docs/platform-contract.md lists them.
// The behaviour behind them is covered by the contract tests against the dev platform (client.test.ts); here a
// recording server pins the request bytes.

const WS = '0b6f7c1e-5d2a-4c8e-9a71-2f4d6e8b9c10'
const PEER = '5c1d0000-0000-4000-8000-000000000002'
const TOKEN = 'Zm9vYmFyYmF6cXV4cXV1eGNvcmdlZ3JhdWx0Z2FycGx5Zm9v'

let server: Awaited<ReturnType<typeof startScriptedServer>>
let client: PlatformClient

// One answer that satisfies every response schema the calls below parse.
const ANY_OK = {
  status: 'ok',
  id: WS,
  url: 'http://x',
  files: [],
  delegation_id: 'd1',
  approval_id: 'a1',
  workflow_id: 'w',
  step_name: 's',
  instructions: '',
}

beforeAll(async () => {
  server = await startScriptedServer((req) => {
    const listy = /\/(peers|delegations|activity|memories|approvals|shared-context)(\?|$)/.test(req.path)
    return { status: 200, body: req.method === 'GET' && listy ? [] : ANY_OK }
  })
  client = new PlatformClient({
    platformUrl: `${server.url}/`,
    workspaceId: WS,
    token: TOKEN,
    orgId: 'org-1',
    origin: server.url,
    retry: { attempts: 1 },
  })
})

afterAll(async () => {
  await server?.close()
})

async function wire(
  call: () => Promise<unknown>,
): Promise<RecordedRequest & { json: unknown; query: Record<string, string> }> {
  const before = server.requests.length
  await call()
  expect(server.requests.length).toBe(before + 1)
  const req = server.requests[before]!
  const url = new URL(req.path, server.url)
  // Every call: the bearer with the exact `Bearer ` prefix, the caller id, the SaaS headers.
  expect(req.headers.authorization).toBe(`Bearer ${TOKEN}`)
  expect(req.headers['x-workspace-id']).toBe(WS)
  expect(req.headers['x-molecule-org-id']).toBe('org-1')
  expect(req.headers.origin).toBe(server.url)
  const isJson = req.headers['content-type'] === 'application/json'
  return {
    ...req,
    path: url.pathname,
    query: Object.fromEntries(url.searchParams),
    json: isJson ? JSON.parse(req.body) : undefined,
  }
}

describe('request wire shapes', () => {
  it('registry: register, heartbeat, update-card, discover, peers', async () => {
    expect(
      await wire(() => client.register({ url: '', agent_card: { name: 'n' }, delivery_mode: 'poll' })),
    ).toMatchObject({
      method: 'POST',
      path: '/registry/register',
      json: { id: WS, url: '', agent_card: { name: 'n' }, delivery_mode: 'poll' },
    })
    expect(await wire(() => client.heartbeat())).toMatchObject({
      method: 'POST',
      path: '/registry/heartbeat',
      json: { workspace_id: WS },
    })
    expect(await wire(() => client.updateCard({ name: 'n' }))).toMatchObject({
      method: 'POST',
      path: '/registry/update-card',
      json: { workspace_id: WS, agent_card: { name: 'n' } },
    })
    expect(await wire(() => client.discover(PEER))).toMatchObject({
      method: 'GET',
      path: `/registry/discover/${PEER}`,
    })
    expect(await wire(() => client.listPeers({ q: 'eng' }))).toMatchObject({
      method: 'GET',
      path: `/registry/${WS}/peers`,
      query: { q: 'eng' },
    })
  })

  it('A2A proxy: caller headers and the timeout hint', async () => {
    const req = await wire(() =>
      client.sendA2A(PEER, { jsonrpc: '2.0', id: 1, method: 'message/send' }, { timeoutMs: 2_500 }),
    )
    expect(req).toMatchObject({ method: 'POST', path: `/workspaces/${PEER}/a2a` })
    expect(req.headers['x-source-workspace-id']).toBe(WS)
    expect(req.headers['x-timeout']).toBe('3')
  })

  it('delegation: delegate, delegations, record, update', async () => {
    expect(
      await wire(() => client.delegate({ targetId: PEER, task: 't', idempotencyKey: 'k' })),
    ).toMatchObject({
      method: 'POST',
      path: `/workspaces/${WS}/delegate`,
      json: { target_id: PEER, task: 't', idempotency_key: 'k' },
    })
    expect(await wire(() => client.listDelegations())).toMatchObject({
      method: 'GET',
      path: `/workspaces/${WS}/delegations`,
    })
    expect(
      await wire(() => client.recordDelegation({ targetId: PEER, task: 't', delegationId: 'd1' })),
    ).toMatchObject({
      method: 'POST',
      path: `/workspaces/${WS}/delegations/record`,
      json: { target_id: PEER, task: 't', delegation_id: 'd1' },
    })
    expect(
      await wire(() =>
        client.updateDelegation('d1', { status: 'completed', responsePreview: 'p', error: '' }),
      ),
    ).toMatchObject({
      method: 'POST',
      path: `/workspaces/${WS}/delegations/d1/update`,
      json: { status: 'completed', response_preview: 'p', error: '' },
    })
  })

  it('messaging: notify, broadcast, uploads (multipart `files`)', async () => {
    const attachment = { uri: 'workspace:/x', name: 'x.txt', mimeType: 'text/plain', size: 1 }
    expect(await wire(() => client.notify({ message: 'm', attachments: [attachment] }))).toMatchObject({
      method: 'POST',
      path: `/workspaces/${WS}/notify`,
      json: { message: 'm', attachments: [attachment] },
    })
    expect(await wire(() => client.broadcast({ message: 'b' }))).toMatchObject({
      method: 'POST',
      path: `/workspaces/${WS}/broadcast`,
      json: { message: 'b' },
    })
    const upload = await wire(() => client.uploadChatFiles([{ name: 'a.txt', data: 'hi' }]))
    expect(upload).toMatchObject({ method: 'POST', path: `/workspaces/${WS}/chat/uploads` })
    expect(upload.headers['content-type']).toMatch(/^multipart\/form-data; boundary=/)
    expect(upload.body).toContain('name="files"; filename="a.txt"')
  })

  it('activity: report and list with every query name', async () => {
    const report = await wire(() =>
      client.reportActivity({
        activityType: 'a2a_send',
        method: 'message/send',
        summary: 's',
        targetId: PEER,
        status: 'ok',
        errorDetail: '',
        durationMs: 5,
        requestBody: { task: 't' },
        responseBody: { result: 'r' },
        metadata: { m: 1 },
      }),
    )
    expect(report).toMatchObject({ method: 'POST', path: `/workspaces/${WS}/activity` })
    expect(Object.keys(report.json as object).sort()).toEqual(
      [
        'activity_type',
        'source_id',
        'target_id',
        'method',
        'summary',
        'status',
        'duration_ms',
        'error_detail',
        'request_body',
        'response_body',
        'metadata',
      ].sort(),
    )
    const list = await wire(() =>
      client.listActivity({
        type: 'a2a_receive',
        sinceId: 'c1',
        sinceSecs: 600,
        source: 'agent',
        peerId: PEER,
        beforeTs: '2026-01-01T00:00:00Z',
        limit: 100,
        include: 'peer_info',
      }),
    )
    expect(list).toMatchObject({ method: 'GET', path: `/workspaces/${WS}/activity` })
    expect(list.query).toEqual({
      type: 'a2a_receive',
      since_id: 'c1',
      since_secs: '600',
      source: 'agent',
      peer_id: PEER,
      before_ts: '2026-01-01T00:00:00Z',
      limit: '100',
      include: 'peer_info',
    })
  })

  it('inbox poller: cold start by window, then by cursor, always asking for peer_info', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wire-inbox-'))
    const cold = new InboxPoller({ client, cursorDir: dir, coldStartWindowSecs: 600 })
    const first = await wire(() => cold.pollOnce())
    expect(first).toMatchObject({ method: 'GET', path: `/workspaces/${WS}/activity` })
    expect(first.query).toEqual({
      type: 'a2a_receive',
      since_secs: '600',
      limit: '500',
      include: 'peer_info',
    })
    await new InboxCursorFile(dir, WS).save('7d2e0000-0000-4000-8000-000000000003')
    const warm = new InboxPoller({ client, cursorDir: dir, limit: 100 })
    expect((await wire(() => warm.pollOnce())).query).toEqual({
      type: 'a2a_receive',
      since_id: '7d2e0000-0000-4000-8000-000000000003',
      limit: '100',
      include: 'peer_info',
    })
  })

  it('memory, approvals, boot context, checkpoints', async () => {
    expect(
      await wire(() => client.commitMemory({ content: 'c', scope: 'TEAM', namespace: 'facts' })),
    ).toMatchObject({
      method: 'POST',
      path: `/workspaces/${WS}/memories`,
      json: { content: 'c', scope: 'TEAM', namespace: 'facts' },
    })
    expect(
      (await wire(() => client.searchMemories({ scope: 'LOCAL', q: 'x', namespace: 'n', limit: 5 }))).query,
    ).toEqual({ scope: 'LOCAL', q: 'x', namespace: 'n', limit: '5' })
    expect(await wire(() => client.deleteMemory('m1'))).toMatchObject({
      method: 'DELETE',
      path: `/workspaces/${WS}/memories/m1`,
    })
    expect(
      await wire(() =>
        client.requestApproval({ action: 'deploy', reason: 'r', taskId: 't', context: { a: 1 } }),
      ),
    ).toMatchObject({
      method: 'POST',
      path: `/workspaces/${WS}/approvals`,
      json: { action: 'deploy', reason: 'r', task_id: 't', context: { a: 1 } },
    })
    expect(await wire(() => client.listApprovals())).toMatchObject({
      method: 'GET',
      path: `/workspaces/${WS}/approvals`,
    })
    expect(await wire(() => client.resolveInstructions())).toMatchObject({
      path: `/workspaces/${WS}/instructions/resolve`,
    })
    expect(await wire(() => client.getSharedContext(PEER))).toMatchObject({
      path: `/workspaces/${PEER}/shared-context`,
    })
    expect(
      await wire(() =>
        client.saveCheckpoint({ workflowId: 'w', stepName: 's', stepIndex: 1, payload: { p: 1 } }),
      ),
    ).toMatchObject({
      method: 'POST',
      path: `/workspaces/${WS}/checkpoints`,
      json: { workflow_id: 'w', step_name: 's', step_index: 1, payload: { p: 1 } },
    })
    expect(await wire(() => client.getState())).toMatchObject({
      method: 'GET',
      path: `/workspaces/${WS}/state`,
    })
  })
})
