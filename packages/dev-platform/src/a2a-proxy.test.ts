import { randomUUID } from 'node:crypto'
import { afterEach, describe, expect, it, vi } from 'vitest'
import {
  collectEvents,
  type FakeAgent,
  sendBody,
  startFakeAgent,
  startTestPlatform,
  type TestPlatform,
  type TestResponse,
} from './test-helpers.js'

let p: TestPlatform
let agent: FakeAgent | undefined
afterEach(async () => {
  await p?.close()
  await agent?.close()
  agent = undefined
})

async function pushWorkspace(url: string, parentId?: string) {
  const ws = await p.register(randomUUID(), { url })
  if (parentId)
    await p.call('PATCH', `/workspaces/${ws.id}`, { body: { parent_id: parentId }, token: ws.token })
  return ws
}

describe('A2A proxy, push mode', () => {
  it('forwards a canvas/user message (no caller headers) and passes the reply through', async () => {
    p = await startTestPlatform()
    agent = await startFakeAgent()
    const events = collectEvents(p)
    const target = await pushWorkspace(agent.url)
    const res = await p.call('POST', `/workspaces/${target.id}/a2a`, { body: sendBody('hello', 'm-1') })
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toContain('application/json')
    expect(res.body.result.parts[0]).toEqual({ kind: 'text', text: 'echo: hello' })
    expect(agent.received[0]).toMatchObject({
      method: 'message/send',
      params: { message: { messageId: 'm-1' } },
    })

    const rows = p.state.activity.rows.filter((r) => r.workspace_id === target.id)
    expect(rows).toHaveLength(1)
    expect(rows[0]).toMatchObject({
      activity_type: 'a2a_receive',
      source_id: null,
      target_id: target.id,
      method: 'message/send',
      status: 'ok',
    })
    expect(events.map((e) => e.event)).toContain('A2A_RESPONSE')
  })

  it('forwards the W3C trace context headers (traceparent, tracestate) and no other header of the caller', async () => {
    p = await startTestPlatform()
    agent = await startFakeAgent()
    const target = await pushWorkspace(agent.url)
    const traceparent = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01'
    await p.call('POST', `/workspaces/${target.id}/a2a`, {
      body: sendBody('traced', 'm-t'),
      headers: { traceparent, tracestate: 'vendor=1', 'x-private': 'not forwarded' },
    })
    await p.call('POST', `/workspaces/${target.id}/a2a`, {
      body: sendBody('state alone', 'm-s'),
      headers: { tracestate: 'orphan=1' },
    })
    expect(agent.receivedHeaders[0]).toMatchObject({ traceparent, tracestate: 'vendor=1' })
    expect(agent.receivedHeaders[0]).not.toHaveProperty('x-private')
    expect(agent.receivedHeaders[1]).not.toHaveProperty('traceparent')
    expect(agent.receivedHeaders[1]).not.toHaveProperty('tracestate')
  })

  it('normalises bodies: wraps non-JSON-RPC bodies and inserts a messageId', async () => {
    p = await startTestPlatform()
    agent = await startFakeAgent()
    const target = await pushWorkspace(agent.url)
    await p.call('POST', `/workspaces/${target.id}/a2a`, {
      body: {
        method: 'message/send',
        params: { message: { role: 'user', parts: [{ type: 'text', text: 'x' }] } },
        extra: 1,
      },
    })
    const forwarded = agent.received[0] as TestResponse['body']
    expect(forwarded.jsonrpc).toBe('2.0')
    expect(typeof forwarded.id).toBe('string')
    expect(forwarded.extra).toBeUndefined()
    expect(forwarded.params.message.messageId).toMatch(/^[0-9a-f-]{36}$/)
    expect(forwarded.params.message.parts[0]).toEqual({ type: 'text', text: 'x' })
    const bad = await p.call('POST', `/workspaces/${target.id}/a2a`, { body: '{oops' })
    expect(bad).toMatchObject({ status: 400, body: { error: 'invalid JSON' } })
  })

  it('maps agent and transport failures to the documented statuses', async () => {
    p = await startTestPlatform()
    agent = await startFakeAgent()
    const target = await pushWorkspace(agent.url)
    agent.respond = () => [500, { error: 'model exploded' }]
    const agentError = await p.call('POST', `/workspaces/${target.id}/a2a`, { body: sendBody('x') })
    expect(agentError).toMatchObject({ status: 500, body: { error: 'model exploded' } })
    expect(p.state.activity.rows.at(-1)).toMatchObject({ status: 'error', error_detail: 'model exploded' })

    const dead = await pushWorkspace('http://127.0.0.1:9')
    const unreachable = await p.call('POST', `/workspaces/${dead.id}/a2a`, { body: sendBody('x') })
    expect(unreachable).toMatchObject({ status: 502, body: { error: 'failed to reach workspace agent' } })

    const missing = await p.call('POST', `/workspaces/${randomUUID()}/a2a`, { body: sendBody('x') })
    expect(missing).toMatchObject({ status: 404, body: { error: 'workspace not found' } })

    const provisioning = await p.createWorkspace({ name: 'no-url' })
    const noUrl = await p.call('POST', `/workspaces/${provisioning.id}/a2a`, { body: sendBody('x') })
    expect(noUrl).toMatchObject({
      status: 503,
      body: { error: 'workspace has no URL', status: 'provisioning' },
    })

    const reserved = await p.call('POST', `/workspaces/${target.id}/a2a`, {
      body: sendBody('x'),
      headers: { 'X-Workspace-ID': 'system:cron' },
    })
    expect(reserved).toMatchObject({ status: 403, body: { error: 'invalid caller ID' } })

    const capped = await p.createWorkspace({ name: 'broke', external: true, url: agent.url, budget_limit: 0 })
    const budget = await p.call('POST', `/workspaces/${capped.id}/a2a`, { body: sendBody('x') })
    expect(budget).toMatchObject({ status: 402, body: { error: 'workspace budget limit exceeded' } })
  })
})

describe('A2A proxy, caller auth and who may talk to whom', () => {
  it('requires the caller token once the caller has one', async () => {
    p = await startTestPlatform()
    agent = await startFakeAgent()
    const target = await pushWorkspace(agent.url)
    const caller = await pushWorkspace('http://127.0.0.1:9')
    const headers = { 'X-Workspace-ID': caller.id }
    const missing = await p.call('POST', `/workspaces/${target.id}/a2a`, { body: sendBody('x'), headers })
    expect(missing).toMatchObject({ status: 401, body: { error: 'missing caller auth token' } })
    const wrong = await p.call('POST', `/workspaces/${target.id}/a2a`, {
      body: sendBody('x'),
      headers,
      token: target.token,
    })
    expect(wrong).toMatchObject({ status: 401, body: { error: 'invalid caller auth token' } })
    const ok = await p.call('POST', `/workspaces/${target.id}/a2a`, {
      body: sendBody('x'),
      headers,
      token: caller.token,
    })
    expect(ok.status).toBe(200)
    expect(p.state.activity.rows.at(-1)?.source_id).toBe(caller.id)
    expect(p.state.get(caller.id)?.last_outbound_at).not.toBeNull()
    // A workspace calling itself is a caller like any other: its own token, no exception.
    const selfHeaders = { 'X-Workspace-ID': target.id }
    const forged = await p.call('POST', `/workspaces/${target.id}/a2a`, {
      body: sendBody('x'),
      headers: selfHeaders,
    })
    expect(forged).toMatchObject({ status: 401, body: { error: 'missing caller auth token' } })
    const self = await p.call('POST', `/workspaces/${target.id}/a2a`, {
      body: sendBody('x'),
      headers: selfHeaders,
      token: target.token,
    })
    expect(self.status).toBe(200)
  })

  it('denies cousins and uncles with 403 and allows siblings, parents and ancestors', async () => {
    p = await startTestPlatform()
    agent = await startFakeAgent()
    const acme = await pushWorkspace(agent.url)
    const research = await pushWorkspace(agent.url)
    const devLead = await pushWorkspace(agent.url, acme.id)
    const frontend = await pushWorkspace(agent.url, devLead.id)
    const backend = await pushWorkspace(agent.url, devLead.id)
    const marketing = await pushWorkspace(agent.url, acme.id)
    const send = (from: { id: string; token: string }, to: { id: string }) =>
      p.call('POST', `/workspaces/${to.id}/a2a`, {
        body: sendBody('hi'),
        headers: { 'X-Workspace-ID': from.id },
        token: from.token,
      })
    expect((await send(frontend, backend)).status).toBe(200)
    expect((await send(frontend, devLead)).status).toBe(200)
    expect((await send(frontend, acme)).status).toBe(200)
    expect((await send(acme, backend)).status).toBe(200)
    expect((await send(acme, research)).status).toBe(200)
    const uncle = await send(frontend, marketing)
    expect(uncle).toMatchObject({
      status: 403,
      body: { error: 'access denied: workspaces cannot communicate per hierarchy rules' },
    })
    expect((await send(frontend, research)).status).toBe(403)
    // The canvas (no caller) may message anyone.
    expect((await p.call('POST', `/workspaces/${marketing.id}/a2a`, { body: sendBody('hi') })).status).toBe(
      200,
    )
  })

  it('accepts X-Source-Workspace-Id as the caller id', async () => {
    p = await startTestPlatform()
    agent = await startFakeAgent()
    const a = await pushWorkspace(agent.url)
    const b = await pushWorkspace(agent.url)
    const res = await p.call('POST', `/workspaces/${a.id}/a2a`, {
      body: sendBody('x'),
      headers: { 'X-Source-Workspace-Id': b.id },
      token: b.token,
    })
    expect(res.status).toBe(200)
    expect(p.state.activity.rows.at(-1)?.source_id).toBe(b.id)
    const noToken = await p.call('POST', `/workspaces/${a.id}/a2a`, {
      body: sendBody('x'),
      headers: { 'X-Source-Workspace-Id': b.id },
    })
    expect(noToken.status).toBe(401)
  })
})

describe('A2A proxy, poll mode', () => {
  it('answers queued and stores an a2a_receive row with the normalised request', async () => {
    p = await startTestPlatform()
    const events = collectEvents(p)
    const poller = await p.register(randomUUID(), { delivery_mode: 'poll', url: undefined })
    const peer = await pushWorkspace('http://127.0.0.1:9')
    const res = await p.call('POST', `/workspaces/${poller.id}/a2a`, {
      body: sendBody('review PR 12'),
      headers: { 'X-Workspace-ID': peer.id },
      token: peer.token,
    })
    expect(res).toEqual(
      expect.objectContaining({
        status: 200,
        body: { status: 'queued', delivery_mode: 'poll', method: 'message/send' },
      }),
    )
    const inbox = await p.call('GET', `/workspaces/${poller.id}/activity?type=a2a_receive`, {
      token: poller.token,
    })
    expect(inbox.body).toHaveLength(1)
    expect(inbox.body[0]).toMatchObject({
      activity_type: 'a2a_receive',
      source_id: peer.id,
      target_id: poller.id,
      method: 'message/send',
      status: 'ok',
      summary: expect.stringContaining('(queued for poll)'),
    })
    expect(inbox.body[0].request_body.params.message.parts[0].text).toBe('review PR 12')
    expect(inbox.body[0]).not.toHaveProperty('response_body')
    expect(events.some((e) => e.event === 'ACTIVITY_LOGGED' && e.workspaceId === poller.id)).toBe(true)
  })

  it('external workspaces created without a URL are poll-mode', async () => {
    p = await startTestPlatform()
    const ext = await p.createWorkspace({ name: 'ext', external: true })
    const res = await p.call('POST', `/workspaces/${ext.id}/a2a`, { body: sendBody('x') })
    expect(res.body).toMatchObject({ status: 'queued', delivery_mode: 'poll' })
  })
})

describe('busy queue', () => {
  it('queues with 202 when the agent does not answer in time and drains on a heartbeat with capacity', async () => {
    p = await startTestPlatform({ proxyTimeoutMs: 60 })
    agent = await startFakeAgent()
    const target = await pushWorkspace(agent.url)
    agent.delayMs = 400
    const first = await p.call('POST', `/workspaces/${target.id}/a2a`, { body: sendBody('slow', 'msg-1') })
    expect(first.status).toBe(202)
    expect(first.body).toMatchObject({
      queued: true,
      queue_depth: 1,
      message: expect.stringContaining('busy'),
    })
    const retry = await p.call('POST', `/workspaces/${target.id}/a2a`, { body: sendBody('slow', 'msg-1') })
    expect(retry.status).toBe(202)
    expect(retry.body.queue_id).toBe(first.body.queue_id)
    expect(p.state.queue).toHaveLength(1)

    agent.delayMs = 0
    // A heartbeat at full capacity does not drain.
    await p.call('POST', '/registry/heartbeat', {
      body: { workspace_id: target.id, active_tasks: 1 },
      token: target.token,
    })
    expect(p.state.queue[0]?.status).toBe('queued')
    await p.call('POST', '/registry/heartbeat', {
      body: { workspace_id: target.id, active_tasks: 0 },
      token: target.token,
    })
    await vi.waitFor(() => expect(p.state.queue[0]?.status).toBe('completed'), {
      timeout: 2000,
      interval: 10,
    })
    const row = p.state.activity.rows.find((r) => r.workspace_id === target.id && r.status === 'ok')
    expect(row?.response_body).toMatchObject({ result: { parts: [{ text: 'echo: slow' }] } })
  })

  it('drains are serialised per workspace: a burst of heartbeats dispatches one queued request at a time', async () => {
    p = await startTestPlatform({ proxyTimeoutMs: 100 })
    agent = await startFakeAgent()
    const target = await pushWorkspace(agent.url)
    agent.delayMs = 400
    for (const id of ['q-1', 'q-2', 'q-3']) {
      const res = await p.call('POST', `/workspaces/${target.id}/a2a`, { body: sendBody(id, id) })
      expect(res.status).toBe(202)
    }
    expect(p.state.queue.map((e) => e.status)).toEqual(['queued', 'queued', 'queued'])
    agent.delayMs = 40
    let maxInFlight = 0
    const watch = setInterval(() => {
      const inFlight = p.state.queue.filter((e) => e.status === 'dispatched').length
      maxInFlight = Math.max(maxInFlight, inFlight)
    }, 2)
    const beat = () =>
      p.call('POST', '/registry/heartbeat', {
        body: { workspace_id: target.id, active_tasks: 0 },
        token: target.token,
      })
    try {
      await Promise.all([beat(), beat(), beat(), beat(), beat()])
      await vi.waitFor(() => expect(p.state.queue.filter((e) => e.status === 'completed')).toHaveLength(1), {
        timeout: 2000,
        interval: 5,
      })
      // One burst, one dispatch: the other entries wait for later heartbeats.
      expect(p.state.queue.map((e) => e.status)).toEqual(['completed', 'queued', 'queued'])
      await Promise.all([beat(), beat()])
      await vi.waitFor(() => expect(p.state.queue[1]?.status).toBe('completed'), {
        timeout: 2000,
        interval: 5,
      })
      await beat()
      await vi.waitFor(() => expect(p.state.queue[2]?.status).toBe('completed'), {
        timeout: 2000,
        interval: 5,
      })
    } finally {
      clearInterval(watch)
    }
    expect(maxInFlight).toBe(1)
    const drained = agent.received
      .slice(3)
      .map((b) => (b.params as { message: { messageId: string } }).message.messageId)
    expect(drained).toEqual(['q-1', 'q-2', 'q-3'])
  })

  it('answers 503 busy with Retry-After for agents declaring native sessions', async () => {
    p = await startTestPlatform({ proxyTimeoutMs: 40, busyRetryAfterSeconds: 7 })
    agent = await startFakeAgent()
    const target = await pushWorkspace(agent.url)
    await p.call('POST', '/registry/heartbeat', {
      body: {
        workspace_id: target.id,
        active_tasks: 1,
        runtime_metadata: { capabilities: { session: true } },
      },
      token: target.token,
    })
    agent.delayMs = 300
    const res = await p.call('POST', `/workspaces/${target.id}/a2a`, { body: sendBody('x') })
    expect(res.status).toBe(503)
    expect(res.headers.get('retry-after')).toBe('7')
    expect(res.body).toMatchObject({ busy: true, retry_after: 7, native_session: true })
  })
})

describe('forward timeout', () => {
  it('is an idle timeout: heartbeats of the target keep a long call alive', async () => {
    p = await startTestPlatform({ proxyTimeoutMs: 150 })
    agent = await startFakeAgent()
    const target = await pushWorkspace(agent.url)
    agent.delayMs = 450
    // Every beat is awaited before the test ends: one still in flight when the platform closes would reject unhandled.
    const inFlight: Promise<unknown>[] = []
    const beats = setInterval(() => {
      inFlight.push(
        p.call('POST', '/registry/heartbeat', {
          body: { workspace_id: target.id, active_tasks: 1 },
          token: target.token,
        }),
      )
    }, 20)
    try {
      const res = await p.call('POST', `/workspaces/${target.id}/a2a`, { body: sendBody('long task') })
      expect(res.status).toBe(200)
      expect(res.body.result.parts[0].text).toBe('echo: long task')
    } finally {
      clearInterval(beats)
      await Promise.allSettled(inFlight)
    }
    expect(p.state.queue).toHaveLength(0)
  })
})
