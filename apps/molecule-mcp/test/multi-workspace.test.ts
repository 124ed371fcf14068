import { randomUUID } from 'node:crypto'
import type { RunningDevPlatform } from '@molecule/dev-platform'
import { afterEach, describe, expect, it } from 'vitest'
import {
  type Bridge,
  externalWorkspace,
  multiEnv,
  nextMessage,
  sendPeerText,
  startBridge,
  tempDir,
  until,
  useDevPlatform,
  type Ws,
} from './harness.js'

let platform: RunningDevPlatform
const bridges: Bridge[] = []

useDevPlatform((started) => {
  platform = started
})
afterEach(async () => {
  await Promise.all(bridges.splice(0).map((b) => b.close()))
})

function inboxOf(ws: Ws) {
  return platform.state.activity.rows.filter(
    (r) => r.workspace_id === ws.id && r.activity_type === 'a2a_receive',
  )
}

describe('one bridge serving several workspaces', () => {
  it('registers each workspace in poll mode and keeps it heart-beating', async () => {
    const a = await externalWorkspace(platform, 'Reg A')
    const b = await externalWorkspace(platform, 'Reg B')
    const bridge = await startBridge(multiEnv(platform.url, tempDir('mcp-reg-'), [a, b]))
    bridges.push(bridge)
    for (const ws of [a, b]) {
      await until(`${ws.name} registered`, () => platform.state.get(ws.id)?.delivery_mode === 'poll')
      const first = await until(
        'a heartbeat',
        () => platform.state.get(ws.id)?.last_heartbeat_at ?? undefined,
      )
      await until('another heartbeat', () => (platform.state.get(ws.id)?.last_heartbeat_at ?? 0) > first)
    }
  })

  it('two workspaces of one process message each other and the reply goes out as the receiver', async () => {
    const a = await externalWorkspace(platform, 'Ping A')
    const b = await externalWorkspace(platform, 'Pong B')
    const bridge = await startBridge(multiEnv(platform.url, tempDir('mcp-pair-'), [a, b]))
    bridges.push(bridge)
    await until('registered', () => platform.state.get(b.id)?.delivery_mode === 'poll')

    const sent = await bridge.call('delegate_task', {
      workspace_id: b.id,
      task: 'ping from A',
      source_workspace_id: a.id,
    })
    expect(sent.text).toMatch(/queued in its inbox/)

    const ping = await nextMessage(bridge)
    expect(ping).toMatchObject({
      kind: 'peer_agent',
      peer_id: a.id,
      arrival_workspace_id: b.id,
      text: 'ping from A',
    })
    // No selector: the reply must leave as B, the workspace A wrote to.
    const reply = await bridge.call('delegate_task', { workspace_id: a.id, task: 'pong from B' })
    expect(reply.isError).toBe(false)
    expect((await bridge.call('inbox_pop', { activity_id: ping.activity_id })).text).toContain(
      '"removed":true',
    )

    const pong = await nextMessage(bridge)
    expect(pong).toMatchObject({ peer_id: b.id, arrival_workspace_id: a.id, text: 'pong from B' })
    expect(inboxOf(a).at(-1)?.source_id).toBe(b.id)
    await bridge.call('inbox_pop', { activity_id: pong.activity_id })
  })

  it('a peer writes to the second workspace: replies and user answers leave as the second', async () => {
    const a = await externalWorkspace(platform, 'First A')
    const b = await externalWorkspace(platform, 'Second B')
    const peer = await externalWorkspace(platform, 'Outside Peer')
    const bridge = await startBridge(multiEnv(platform.url, tempDir('mcp-second-'), [a, b]))
    bridges.push(bridge)
    await until('registered', () => platform.state.get(b.id)?.delivery_mode === 'poll')

    await sendPeerText(platform, peer, b.id, 'hi second')
    const inbound = await nextMessage(bridge)
    expect(inbound).toMatchObject({
      peer_id: peer.id,
      arrival_workspace_id: b.id,
      agent_card_url: `${platform.url}/registry/discover/${peer.id}`,
    })
    // The sender's name is looked up in the background, as the arrival workspace.
    await until('peer name enrichment', async () => {
      const [head] = JSON.parse((await bridge.call('inbox_peek')).text) as Array<{ peer_name?: string }>
      return head?.peer_name === 'Outside Peer' ? true : undefined
    })
    await bridge.call('delegate_task', { workspace_id: peer.id, task: 'hello back' })
    await bridge.call('inbox_pop', { activity_id: inbound.activity_id })
    const peerInbox = inboxOf(peer)
    expect(peerInbox.at(-1)?.source_id).toBe(b.id)
    // B's activity log has the send; A's does not.
    expect(
      platform.state.activity.rows.some((r) => r.workspace_id === b.id && r.activity_type === 'a2a_send'),
    ).toBe(true)
    expect(
      platform.state.activity.rows.some((r) => r.workspace_id === a.id && r.activity_type === 'a2a_send'),
    ).toBe(false)

    // The human writes to B on the canvas (no caller id); the answer goes to B's chat by default.
    await fetch(`${platform.url}/workspaces/${b.id}/a2a`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        jsonrpc: '2.0',
        id: '1',
        method: 'message/send',
        params: {
          message: { role: 'user', messageId: randomUUID(), parts: [{ kind: 'text', text: 'status?' }] },
        },
      }),
    })
    const user = await nextMessage(bridge)
    expect(user).toMatchObject({ kind: 'canvas_user', arrival_workspace_id: b.id })
    expect((await bridge.call('send_message_to_user', { message: 'all good' })).text).toBe(
      'Message sent to user',
    )
    await bridge.call('inbox_pop', { activity_id: user.activity_id })
    const notify = platform.state.activity.rows.filter(
      (r) => r.method === 'notify' && r.workspace_id === b.id,
    )
    expect(notify).toHaveLength(1)
    expect(platform.state.activity.rows.some((r) => r.method === 'notify' && r.workspace_id === a.id)).toBe(
      false,
    )
  })

  it('one entry with a revoked token fails alone; the others keep working', async () => {
    const bad = await externalWorkspace(platform, 'Revoked')
    const good = await externalWorkspace(platform, 'Healthy')
    // Revoke the bridge's token while the workspace keeps another live one (a rotated token elsewhere).
    platform.state.tokens.revokeAll(bad.id)
    platform.state.tokens.mint(bad.id)
    const bridge = await startBridge(multiEnv(platform.url, tempDir('mcp-revoked-'), [bad, good]))
    bridges.push(bridge)
    await until('good registered', () => platform.state.get(good.id)?.delivery_mode === 'poll')

    const badInfo = await until('the revoked entry to be reported', async () => {
      const info = await bridge.call('get_workspace_info', { source_workspace_id: bad.id })
      return info.isError ? info : undefined
    })
    expect(badInfo.text).toMatch(/rejected its token/)
    const goodInfo = await bridge.call('get_workspace_info', { source_workspace_id: good.id })
    expect(JSON.parse(goodInfo.text)).toMatchObject({ id: good.id, name: 'Healthy' })

    const outsider = await externalWorkspace(platform, 'Sender')
    await sendPeerText(platform, outsider, good.id, 'still there?')
    expect(await nextMessage(bridge)).toMatchObject({ arrival_workspace_id: good.id, text: 'still there?' })
    const peers = await bridge.call('list_peers')
    expect(peers.text).toContain('Sender')
    expect(peers.text).toMatch(/rejected its token/)
    expect(bridge.stderr()).toMatch(/token rejected/)
    const heartbeatBefore = platform.state.get(good.id)?.last_heartbeat_at ?? 0
    await until(
      'good keeps beating',
      () => (platform.state.get(good.id)?.last_heartbeat_at ?? 0) > heartbeatBefore,
    )
  })
})
