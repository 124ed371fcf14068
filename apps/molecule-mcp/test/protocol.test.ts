import type { RunningDevPlatform } from '@molecule/dev-platform'
import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import {
  externalWorkspace,
  sendPeerText,
  singleEnv,
  startBridge,
  tempDir,
  until,
  useDevPlatform,
} from './harness.js'

let platform: RunningDevPlatform

useDevPlatform((started) => {
  platform = started
})

const TOOL_NAMES = [
  'delegate_task',
  'delegate_task_async',
  'check_task_status',
  'list_peers',
  'get_workspace_info',
  'get_runtime_identity',
  'update_agent_card',
  'broadcast_message',
  'send_message_to_user',
  'chat_history',
  'commit_memory',
  'recall_memory',
  'request_approval',
  'check_approval',
  'wait_for_message',
  'inbox_peek',
  'inbox_pop',
]

describe('MCP surface', () => {
  it('initialize, instructions, capabilities, ping and the static tool set', async () => {
    const ws = await externalWorkspace(platform, 'Surface')
    const bridge = await startBridge(singleEnv(platform.url, tempDir('mcp-proto-'), ws))
    try {
      expect(bridge.client.getServerVersion()).toMatchObject({ name: 'molecule' })
      expect(bridge.client.getServerCapabilities()).toMatchObject({
        tools: { listChanged: false },
        experimental: { 'claude/channel': {} },
      })
      const instructions = bridge.client.getInstructions() ?? ''
      expect(instructions).toMatch(/wait_for_message\(timeout_secs=2\)/)
      expect(instructions).toMatch(/inbox_pop/)
      expect(await bridge.client.ping()).toEqual({})
      const { tools } = await bridge.client.listTools()
      expect(tools.map((t) => t.name)).toEqual(TOOL_NAMES)
      const delegate = tools.find((t) => t.name === 'delegate_task')
      expect(delegate?.inputSchema.required).toEqual(['workspace_id', 'task'])
      expect(Object.keys(delegate?.inputSchema.properties ?? {})).toEqual([
        'workspace_id',
        'task',
        'source_workspace_id',
      ])
      const bad = await bridge.call('inbox_pop', {})
      expect(bad).toMatchObject({ isError: true })
      expect(bad.text).toMatch(/argument 'activity_id'/)
      expect((await bridge.call('no_such_tool')).text).toBe('Unknown tool: no_such_tool')
      // Nothing but JSON-RPC reached stdout (a stray line would be a client parse error), and quiet logs.
      await bridge.call('get_workspace_info')
      expect(bridge.protocolErrors()).toEqual([])
      expect(bridge.stderr()).not.toMatch(/"level":(20|30)/)
    } finally {
      await bridge.close()
    }
  })

  it('pushes notifications/claude/channel for new messages when enabled', async () => {
    const ws = await externalWorkspace(platform, 'Pushed')
    const peer = await externalWorkspace(platform, 'Pusher')
    const bridge = await startBridge({
      ...singleEnv(platform.url, tempDir('mcp-push-'), ws),
      MOLECULE_MCP_PUSH: '1',
      MOLECULE_MCP_VERBOSE: '1',
    })
    try {
      const received: Array<{ content: string; meta: Record<string, string> }> = []
      bridge.client.setNotificationHandler(
        z.object({ method: z.literal('notifications/claude/channel'), params: z.any() }),
        async (notification) => {
          received.push(notification.params as { content: string; meta: Record<string, string> })
        },
      )
      await until('registered', () => platform.state.get(ws.id)?.delivery_mode === 'poll')
      await sendPeerText(platform, peer, ws.id, 'pushed hello')
      const push = await until('a channel notification', () => received[0])
      expect(push.content).toContain('pushed hello')
      expect(push.meta).toMatchObject({
        source: 'molecule',
        kind: 'peer_agent',
        peer_id: peer.id,
        method: 'message/send',
      })
      // Push is an extra: the message still waits in the inbox until popped.
      expect(JSON.parse((await bridge.call('inbox_peek')).text)).toHaveLength(1)
      // Verbose logs go to stderr only, without the token.
      expect(bridge.stderr()).toMatch(/registered \(poll delivery\)/)
      expect(bridge.stderr()).not.toContain(ws.token)
      expect(bridge.protocolErrors()).toEqual([])
    } finally {
      await bridge.close()
    }
  })
})
