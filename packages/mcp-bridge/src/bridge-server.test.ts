import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Client } from '@modelcontextprotocol/sdk/client/index.js'
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js'
import { CallToolResultSchema } from '@modelcontextprotocol/sdk/types.js'
import { silentLogger } from '@molecule/core'
import { type RunningDevPlatform, startDevPlatform } from '@molecule/dev-platform'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadBridgeConfig } from './bridge-config.js'
import { createBridgeServer } from './bridge-server.js'
import { WorkspacePool } from './workspace-pool.js'

let platform: RunningDevPlatform

beforeAll(async () => {
  platform = await startDevPlatform({ port: 0, logLevel: 'silent' })
})
afterAll(async () => {
  await platform?.close()
})

async function connect(env: Record<string, string>) {
  const config = loadBridgeConfig({ CONFIGS_DIR: mkdtempSync(join(tmpdir(), 'bridge-srv-')), ...env })
  const pool = new WorkspacePool(config, silentLogger)
  const server = createBridgeServer({
    pool,
    logger: silentLogger,
    version: '0.0.0',
    push: false,
    env,
  })
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair()
  await server.connect(serverSide)
  const client = new Client({ name: 't', version: '1' })
  await client.connect(clientSide)
  await pool.start()
  const call = async (name: string, args: Record<string, unknown> = {}) => {
    const res = (await client.callTool({ name, arguments: args })) as {
      content: Array<{ text: string }>
      isError?: boolean
    }
    return { text: res.content[0]?.text ?? '', isError: res.isError === true }
  }
  return {
    client,
    pool,
    call,
    close: async () => {
      await pool.stop()
      await client.close()
    },
  }
}

describe('bridge server in process', () => {
  it('a tools/call whose arguments are not an object is invalid params (-32602), not an internal error', async () => {
    const ws = await platform.createWorkspace({ name: 'Strict', external: true, mint_token: true })
    const bridge = await connect({
      PLATFORM_URL: platform.url,
      WORKSPACE_ID: ws.id,
      MOLECULE_WORKSPACE_TOKEN: ws.token ?? '',
      MOLECULE_MCP_DISABLE_HEARTBEAT: '1',
      MOLECULE_MCP_DISABLE_INBOX: '1',
    })
    try {
      for (const args of [5, null, ['a'], 'text']) {
        const refused = await bridge.client
          .request(
            { method: 'tools/call', params: { name: 'list_peers', arguments: args as never } },
            CallToolResultSchema,
          )
          .then(
            () => undefined,
            (err: { code?: number; message?: string }) => err,
          )
        expect(refused?.code).toBe(-32602)
        expect(refused?.message).toContain('Invalid tools/call request')
      }
      expect((await bridge.call('list_peers', {})).isError).toBe(false)
      // A tool error quoting its input never hands the workspace token back out.
      const echoed = await bridge.call('chat_history', { peer_id: 'x', before_ts: `key ${ws.token} here` })
      expect(echoed.text).toContain('is not an RFC3339 timestamp')
      expect(echoed.text).not.toContain(ws.token ?? '')
    } finally {
      await bridge.close()
    }
  })

  it('with inbox and heartbeat disabled: inbox tools say so and nothing registers', async () => {
    const ws = await platform.createWorkspace({ name: 'Quiet', external: true, mint_token: true })
    const bridge = await connect({
      PLATFORM_URL: platform.url,
      WORKSPACE_ID: ws.id,
      MOLECULE_WORKSPACE_TOKEN: ws.token ?? '',
      MOLECULE_MCP_DISABLE_INBOX: '1',
      MOLECULE_MCP_DISABLE_HEARTBEAT: '1',
    })
    try {
      expect((await bridge.call('inbox_peek')).text).toMatch(/inbox polling is not enabled/)
      expect(platform.state.get(ws.id)?.last_heartbeat_at).toBeNull()
      // Tools still work as the workspace.
      expect(JSON.parse((await bridge.call('get_workspace_info')).text)).toMatchObject({ name: 'Quiet' })
    } finally {
      await bridge.close()
    }
  })

  it('an unknown acting workspace is named with the served ids', async () => {
    const ws = await platform.createWorkspace({ name: 'Solo', external: true, mint_token: true })
    const bridge = await connect({
      PLATFORM_URL: platform.url,
      MOLECULE_WORKSPACES: JSON.stringify([{ id: ws.id, token: ws.token }]),
      MOLECULE_MCP_DISABLE_HEARTBEAT: '1',
    })
    try {
      const res = await bridge.call('recall_memory', { source_workspace_id: 'someone-else' })
      expect(res.isError).toBe(true)
      expect(res.text).toContain(ws.id)
      expect((await bridge.call('wait_for_message', { timeout_secs: 0 })).text).toBe(
        '{"timeout":true,"timeout_secs":0}',
      )
    } finally {
      await bridge.close()
    }
  })
})
