import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type RunningDevPlatform, startDevPlatform } from '@molecule/dev-platform'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startScriptedServer } from '../test/support/scripted-server.js'
import { PlatformClient } from './client.js'
import { PlatformError } from './errors.js'
import { silentLogger } from './logger.js'
import { TokenStore } from './token-store.js'

// Contract tests: every client method against the real dev platform on a loopback port.

let platform: RunningDevPlatform
let agent: Awaited<ReturnType<typeof startScriptedServer>>
let leadId: string
let workerId: string
let extId: string
let lead: PlatformClient
let worker: PlatformClient
let leadStore: TokenStore
// Read live by the dev platform, so entries can be added once workspace ids exist.
const sharedContext: Record<string, Array<{ path: string; content: string }>> = {}

const CARD = {
  name: 'Research Lead',
  description: 'Plans work',
  version: '1.0.0',
  skills: [],
  capabilities: {},
}

beforeAll(async () => {
  platform = await startDevPlatform({
    logLevel: 'silent',
    sharedContext,
    instructions: { '*': '## Platform-Wide Rules\n### Be kind\nAlways.' },
  })
  // A push-mode agent the proxy can forward to: answers every JSON-RPC call with a text message.
  agent = await startScriptedServer((req) => {
    const rpc = JSON.parse(req.body) as { id?: unknown }
    return {
      status: 200,
      body: {
        jsonrpc: '2.0',
        id: rpc.id ?? null,
        result: { kind: 'message', role: 'agent', parts: [{ kind: 'text', text: 'pong' }] },
      },
    }
  })
  leadId = (await platform.createWorkspace({ name: 'lead' })).id
  sharedContext[leadId] = [{ path: 'docs/brief.md', content: 'brief' }]
  workerId = (await platform.createWorkspace({ name: 'worker', parent_id: leadId })).id
  extId = (
    await platform.createWorkspace({ name: 'ext', parent_id: leadId, external: true, delivery_mode: 'poll' })
  ).id
  leadStore = new TokenStore(mkdtempSync(join(tmpdir(), 'molecule-contract-')))
  lead = new PlatformClient({ platformUrl: platform.url, workspaceId: leadId, token: leadStore })
  worker = new PlatformClient({ platformUrl: platform.url, workspaceId: workerId })
})

afterAll(async () => {
  await agent?.close()
  await platform?.close()
})

describe('registry', () => {
  it('register mints a token on first call, saves it 0600 without newline, and not again', async () => {
    const first = await lead.register({ url: agent.url, agent_card: { ...CARD, url: agent.url } })
    expect(first.status).toBe('registered')
    expect(first.auth_token).toBeTypeOf('string')
    expect(readFileSync(leadStore.path, 'utf8')).toBe(first.auth_token)
    expect(statSync(leadStore.path).mode & 0o777).toBe(0o600)
    expect(lead.hasToken()).toBe(true)
    const second = await lead.register({ url: agent.url, agent_card: CARD })
    expect(second.auth_token).toBeUndefined()
    expect(platform.state.get(leadId)?.status).toBe('online')
    await worker.register({ url: agent.url, agent_card: { name: 'worker' } })
    expect(worker.hasToken()).toBe(true)
  })

  it('register without the token once one exists is rejected as unauthorized', async () => {
    const anonymous = new PlatformClient({ platformUrl: platform.url, workspaceId: leadId })
    await expect(anonymous.register({ url: agent.url, agent_card: CARD })).rejects.toMatchObject({
      code: 'PLATFORM_UNAUTHORIZED',
      status: 401,
    })
  })

  it('heartbeat stores the runtime fields and wedge state flips the status', async () => {
    await lead.heartbeat({
      active_tasks: 1,
      current_task: 'Summarising',
      uptime_seconds: 12,
      error_rate: 0,
      sample_error: '',
      runtime_metadata: { capabilities: { heartbeat: false, scheduler: false }, idle_timeout_seconds: 900 },
    })
    const ws = platform.state.get(leadId)!
    expect(ws.active_tasks).toBe(1)
    expect(ws.current_task).toBe('Summarising')
    await lead.heartbeat({ runtime_state: 'wedged', sample_error: 'SDK wedged; restart' })
    expect(platform.state.get(leadId)?.status).toBe('degraded')
    await lead.heartbeat({ error_rate: 0 })
    expect(platform.state.get(leadId)?.status).toBe('online')
  })

  it('updateCard replaces the agent card', async () => {
    await expect(lead.updateCard({ ...CARD, description: 'v2' })).resolves.toMatchObject({
      status: 'updated',
    })
    expect(
      (platform.state.get(leadId)?.agent_card as { description?: string } | undefined)?.description,
    ).toBe('v2')
  })

  it('listPeers and discover see the team', async () => {
    const peers = await lead.listPeers()
    expect(peers.map((p) => p.id).sort()).toEqual([workerId, extId].sort())
    const found = await lead.discover(workerId)
    expect(found.url).toBe(agent.url)
    expect((await worker.listPeers({ q: 'lea' })).map((p) => p.id)).toEqual([leadId])
  })
})

describe('workspaces and A2A', () => {
  it('getWorkspace returns own and other workspaces', async () => {
    expect(await lead.getWorkspace()).toMatchObject({ id: leadId, name: 'lead', parent_id: null })
    expect(await lead.getWorkspace(workerId)).toMatchObject({ id: workerId, parent_id: leadId })
    await expect(lead.getWorkspace('00000000-0000-4000-8000-000000000000')).rejects.toMatchObject({
      code: 'PLATFORM_HTTP',
      status: 404,
    })
  })

  it('sendA2A passes the agent reply through and queues for poll-mode targets', async () => {
    const rpc = {
      jsonrpc: '2.0',
      id: 'r1',
      method: 'message/send',
      params: { message: { role: 'user', messageId: 'm1', parts: [{ kind: 'text', text: 'ping' }] } },
    }
    const reply = await lead.sendA2A(workerId, rpc)
    expect(reply).toMatchObject({ kind: 'reply', status: 200 })
    expect(JSON.stringify(reply.body)).toContain('pong')
    const queued = await lead.sendA2A(extId, rpc)
    expect(queued).toMatchObject({ kind: 'queued-poll', method: 'message/send' })
  })
})

describe('delegation', () => {
  it('delegate (idempotent key), listDelegations', async () => {
    const res = await lead.delegate({ targetId: workerId, task: 'Write tests' })
    expect(res.status).toBe('delegated')
    const again = await lead.delegate({ targetId: workerId, task: 'Write tests' })
    expect(again.delegation_id).toBe(res.delegation_id)
    expect(again.idempotent_hit).toBe(true)
    const rows = await lead.listDelegations()
    expect(rows.some((r) => r.delegation_id === res.delegation_id)).toBe(true)
  })

  it('recordDelegation + updateDelegation', async () => {
    const delegationId = '7c9e6679-7425-40de-944b-e07fc1f90ae7'
    await expect(
      lead.recordDelegation({ targetId: workerId, task: 'Review', delegationId }),
    ).resolves.toMatchObject({
      delegation_id: delegationId,
      status: 'recorded',
    })
    await expect(
      lead.updateDelegation(delegationId, { status: 'completed', responsePreview: 'LGTM' }),
    ).resolves.toMatchObject({ status: 'completed' })
    const rows = await lead.listDelegations()
    expect(rows.filter((r) => r.delegation_id === delegationId).some((r) => r.status === 'completed')).toBe(
      true,
    )
  })
})

describe('messaging and activity', () => {
  it('notify writes a notify row visible in the activity log', async () => {
    await expect(lead.notify({ message: 'Done — report attached.' })).resolves.toMatchObject({
      status: 'sent',
    })
    const rows = await lead.listActivity({ type: 'a2a_receive', limit: 10 })
    expect(rows.some((r) => r.method === 'notify')).toBe(true)
  })

  it('uploadChatFiles returns workspace URIs', async () => {
    const res = await lead.uploadChatFiles([
      { name: 'notes.txt', data: 'hello', mimeType: 'text/plain' },
      { name: 'raw.bin', data: new Uint8Array([1, 2, 3]) },
    ])
    expect(res.files).toHaveLength(2)
    expect(res.files[0]?.uri).toMatch(/^workspace:/)
    expect(res.files[0]?.name).toBe('notes.txt')
  })

  it('reportActivity and listActivity by type', async () => {
    await expect(
      lead.reportActivity({
        activityType: 'agent_log',
        summary: 'thinking',
        durationMs: 3,
        metadata: { a: 1 },
      }),
    ).resolves.toMatchObject({ status: 'logged' })
    const rows = await lead.listActivity({ type: 'agent_log' })
    expect(rows[0]).toMatchObject({ activity_type: 'agent_log', summary: 'thinking', source_id: leadId })
  })
})

describe('broadcast and peer history', () => {
  it('broadcast: 403 with the server hint until enabled, then counts deliveries', async () => {
    const denied = await worker.broadcast({ message: 'hello all' }).catch((e: unknown) => e)
    expect(denied).toBeInstanceOf(PlatformError)
    expect(denied).toMatchObject({
      code: 'PLATFORM_HTTP',
      status: 403,
      endpoint: `POST /workspaces/${workerId}/broadcast`,
    })
    expect((denied as PlatformError).serverHint).toContain(`/workspaces/${workerId}`)
    const ws = platform.state.get(workerId)
    if (!ws) throw new Error('worker missing')
    ws.broadcast_enabled = true
    const sent = await worker.broadcast({ message: 'hello all' })
    expect(sent.status).toBe('sent')
    expect(sent.delivered).toBeGreaterThanOrEqual(1)
    expect(sent.targets).toBeGreaterThanOrEqual(sent.delivered ?? 0)
  })

  it('listActivity filters by peer_id and before_ts (the chat_history query)', async () => {
    const withLead = await worker.listActivity({ peerId: leadId, limit: 50 })
    expect(withLead.length).toBeGreaterThan(0)
    for (const row of withLead) expect([row.source_id, row.target_id]).toContain(leadId)
    expect(await worker.listActivity({ peerId: leadId, beforeTs: '2000-01-01T00:00:00Z' })).toEqual([])
    await expect(worker.listActivity({ peerId: 'not-a-uuid' })).rejects.toMatchObject({
      status: 400,
      serverError: 'peer_id must be a valid UUID',
    })
  })
})

describe('memory, approvals, context', () => {
  it('commitMemory, searchMemories with scope and q, deleteMemory', async () => {
    const committed = await worker.commitMemory({
      content: 'Customer prefers Mondays',
      scope: 'TEAM',
      namespace: 'facts',
    })
    expect(committed).toMatchObject({ scope: 'TEAM', namespace: 'facts' })
    const team = await lead.searchMemories({ scope: 'TEAM' })
    expect(team.map((m) => m.id)).toContain(committed.id)
    const own = await worker.searchMemories({ q: 'Mondays' })
    expect(own[0]?.content).toContain('Mondays')
    await expect(worker.commitMemory({ content: 'x', scope: 'GLOBAL' })).rejects.toMatchObject({
      status: 403,
    })
    await expect(worker.deleteMemory(committed.id)).resolves.toMatchObject({ status: 'deleted' })
    await expect(worker.deleteMemory(committed.id)).rejects.toMatchObject({ status: 404 })
  })

  it('requestApproval and listApprovals', async () => {
    const req = await lead.requestApproval({
      action: 'deploy',
      reason: 'QA passed',
      taskId: 't-1',
      context: { pr: 12 },
    })
    expect(req.status).toBe('pending')
    const list = await lead.listApprovals()
    expect(list.find((a) => a.id === req.approval_id)).toMatchObject({ action: 'deploy', status: 'pending' })
  })

  it('resolveInstructions and getSharedContext', async () => {
    expect((await lead.resolveInstructions()).instructions).toContain('Be kind')
    await expect(lead.getSharedContext(leadId)).resolves.toEqual([
      { path: 'docs/brief.md', content: 'brief' },
    ])
    // WorkspaceAuth binds the token to :id, so a child cannot read its parent's route with its own token.
    await expect(worker.getSharedContext(leadId)).rejects.toMatchObject({ code: 'PLATFORM_UNAUTHORIZED' })
  })

  it('checkpoints: latest is null before the first save', async () => {
    await expect(lead.latestCheckpoint()).resolves.toBeNull()
    await lead.saveCheckpoint({ workflowId: 'task-9', stepName: 'llm_call', stepIndex: 1, payload: { a: 1 } })
    await expect(lead.latestCheckpoint()).resolves.toMatchObject({
      workflow_id: 'task-9',
      step_name: 'llm_call',
    })
  })
})

describe('escape hatch and edge cases', () => {
  it('rawRequest keeps the identity headers and returns every status instead of throwing', async () => {
    const state = await worker.rawRequest('GET', `/workspaces/${workerId}/state`, { idempotent: true })
    expect(state).toMatchObject({ status: 200, body: { workspace_id: workerId, deleted: false } })
    const missing = await worker.rawRequest('GET', '/no/such/route')
    expect(missing.status).toBe(404)
  })

  it('getState reports live and deleted workspaces without throwing on 404', async () => {
    await expect(worker.getState()).resolves.toMatchObject({ httpStatus: 200, deleted: false, paused: false })
    const gone = (await platform.createWorkspace({ name: 'gone', mint_token: true })) as {
      id: string
      token: string
    }
    const goneClient = new PlatformClient({
      platformUrl: platform.url,
      workspaceId: gone.id,
      token: gone.token,
    })
    expect((await goneClient.getState()).httpStatus).toBe(200)
    platform.state.workspaces.delete(gone.id)
    await expect(goneClient.getState()).resolves.toMatchObject({ deleted: true })
  })

  it('listActivity passes before_ts and since_secs through', async () => {
    await worker.reportActivity({ activityType: 'task_update', summary: 'later' })
    const future = new Date(Date.now() + 60_000).toISOString()
    expect((await worker.listActivity({ type: 'task_update', beforeTs: future, sinceSecs: 60 })).length).toBe(
      1,
    )
    expect(await worker.listActivity({ type: 'task_update', beforeTs: '2000-01-01T00:00:00Z' })).toEqual([])
  })

  it('register stays successful when the minted token cannot be persisted (kept in memory, logged)', async () => {
    const blocker = join(mkdtempSync(join(tmpdir(), 'molecule-ro-')), 'not-a-dir')
    writeFileSync(blocker, 'x')
    const id = (await platform.createWorkspace({ name: 'readonly' })).id
    const errors: string[] = []
    const c = new PlatformClient({
      platformUrl: platform.url,
      workspaceId: id,
      token: new TokenStore(blocker),
      logger: { ...silentLogger, error: (_o, m) => errors.push(String(m)) },
    })
    const res = await c.register({ url: agent.url, agent_card: { name: 'ro' } })
    expect(res.auth_token).toBeTypeOf('string')
    expect(c.getToken()).toBe(res.auth_token)
    expect(errors[0]).toContain('kept in memory')
    await expect(c.heartbeat()).resolves.toMatchObject({ status: 'ok' })
  })
})

describe('auth', () => {
  it('a revoked token ends in PLATFORM_UNAUTHORIZED after one re-read, without leaking it', async () => {
    const token = lead.getToken()!
    platform.state.tokens.revokeAll(leadId)
    let caught: unknown
    try {
      await lead.listApprovals()
    } catch (err) {
      caught = err
    }
    expect(caught).toBeInstanceOf(PlatformError)
    const err = caught as PlatformError
    expect(err.code).toBe('PLATFORM_UNAUTHORIZED')
    expect(`${err.message}${err.bodyExcerpt}${JSON.stringify(err)}`).not.toContain(token)
  })

  it('a token rotated in the file is picked up on 401', async () => {
    const { token } = platform.state.tokens.mint(leadId)
    // another process (re-provision) writes the fresh token; this client still has the revoked one cached
    const other = new TokenStore(leadStore.path.replace(/\/\.auth_token$/, ''))
    await other.write(token)
    await expect(lead.listApprovals()).resolves.toBeInstanceOf(Array)
    expect(lead.getToken()).toBe(token)
  })
})
