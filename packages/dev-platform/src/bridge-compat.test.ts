import { randomUUID } from 'node:crypto'
import { afterEach, describe, expect, it } from 'vitest'
import { sendBody, startTestPlatform, type TestPlatform } from './test-helpers.js'

let p: TestPlatform
afterEach(async () => p?.close())

const pollWorkspace = () => p.register(randomUUID(), { delivery_mode: 'poll', url: undefined })

/** Behaviour of newer upstream servers that the external MCP bridges rely on. */
describe('bridge-era behaviour', () => {
  it('broadcast is off by default, then reaches every other live workspace', async () => {
    p = await startTestPlatform()
    const sender = await pollWorkspace()
    const a = await pollWorkspace()
    const b = await pollWorkspace()
    const off = await p.call('POST', `/workspaces/${sender.id}/broadcast`, {
      body: { message: 'hi' },
      token: sender.token,
    })
    expect(off.status).toBe(403)
    expect(off.body.hint).toContain('broadcast_enabled')
    await p.call('PATCH', `/workspaces/${sender.id}`, {
      body: { broadcast_enabled: true },
      token: sender.token,
    })
    const on = await p.call('POST', `/workspaces/${sender.id}/broadcast`, {
      body: { message: 'release at 5' },
      token: sender.token,
    })
    expect(on).toMatchObject({ status: 200, body: { delivered: 2 } })
    for (const ws of [a, b]) {
      const inbox = await p.call('GET', `/workspaces/${ws.id}/activity?type=a2a_receive`, { token: ws.token })
      expect(inbox.body[0]).toMatchObject({ source_id: sender.id })
      expect(inbox.body[0].request_body.params.message.parts[0].text).toBe('release at 5')
    }
    expect(
      (await p.call('POST', `/workspaces/${sender.id}/broadcast`, { body: {}, token: sender.token })).status,
    ).toBe(400)
  })

  it('notify answers 403 talk_to_user_disabled when the workspace may not talk to the user', async () => {
    p = await startTestPlatform()
    const ws = await p.register()
    await p.call('PATCH', `/workspaces/${ws.id}`, { body: { talk_to_user_enabled: false }, token: ws.token })
    const res = await p.call('POST', `/workspaces/${ws.id}/notify`, {
      body: { message: 'x' },
      token: ws.token,
    })
    expect(res).toMatchObject({ status: 403, body: { error: 'talk_to_user_disabled' } })
    expect((await p.call('GET', `/workspaces/${ws.id}`)).body).toMatchObject({
      talk_to_user_enabled: false,
      broadcast_enabled: false,
      last_heartbeat_at: expect.any(String),
    })
  })

  it('GET /workspaces/:id?include_removed=true still shows a removed row', async () => {
    p = await startTestPlatform()
    const ws = await p.register()
    await p.call('DELETE', `/workspaces/${ws.id}`)
    expect((await p.call('GET', `/workspaces/${ws.id}`)).status).toBe(410)
    expect(await p.call('GET', `/workspaces/${ws.id}?include_removed=true`)).toMatchObject({
      status: 200,
      body: { id: ws.id, status: 'removed' },
    })
  })

  it('a workspace bearer without caller headers identifies the caller', async () => {
    p = await startTestPlatform()
    const target = await pollWorkspace()
    const caller = await p.register()
    await p.call('POST', `/workspaces/${target.id}/a2a`, { body: sendBody('x'), token: caller.token })
    expect(p.state.activity.rows.at(-1)?.source_id).toBe(caller.id)
    // An unknown bearer is not an identity: the call stays a user message.
    await p.call('POST', `/workspaces/${target.id}/a2a`, { body: sendBody('y'), token: 'not-a-token' })
    expect(p.state.activity.rows.at(-1)?.source_id).toBeNull()
  })
})
