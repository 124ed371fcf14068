import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Client } from '@modelcontextprotocol/sdk/client/index.js'
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js'
import { silentLogger } from '@molecule/core'
import { type RunningDevPlatform, startDevPlatform } from '@molecule/dev-platform'
import { until } from '@molecule/test-support'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadBridgeConfig } from './bridge-config.js'
import { createBridgeServer } from './bridge-server.js'
import { WorkspacePool } from './workspace-pool.js'

// Two dev platforms on two ports of 127.0.0.1: two tenants, whose workspace ids are unique only within each.
let tenantA: RunningDevPlatform
let tenantB: RunningDevPlatform

beforeAll(async () => {
  ;[tenantA, tenantB] = await Promise.all([
    startDevPlatform({ port: 0, logLevel: 'silent' }),
    startDevPlatform({ port: 0, logLevel: 'silent' }),
  ])
})
afterAll(async () => {
  await Promise.all([tenantA?.close(), tenantB?.close()])
})

interface Agent {
  id: string
  token: string
  platform: RunningDevPlatform
}

async function agent(platform: RunningDevPlatform, name: string, id?: string): Promise<Agent> {
  const created = await platform.createWorkspace({
    name,
    external: true,
    mint_token: true,
    delivery_mode: 'poll',
    ...(id ? { id } : {}),
  })
  if (!created.token) throw new Error(`the dev platform minted no token for ${name}`)
  return { id: created.id, token: created.token, platform }
}

/** Tenant A holds a confidential peer X; tenant B holds an unrelated workspace created with the same id. */
async function collidingTenants() {
  const servedA = await agent(tenantA, 'Served on A')
  const servedB = await agent(tenantB, 'Served on B')
  const peerOnA = await agent(tenantA, 'Confidential peer on A')
  const lookalikeOnB = await agent(tenantB, 'Lookalike on B', peerOnA.id)
  return { servedA, servedB, peerOnA, lookalikeOnB, x: peerOnA.id }
}

/** A molecule-mcp server in process, serving each agent on its own tenant's platform URL. */
async function bridgeServing(served: Agent[]) {
  const config = loadBridgeConfig({
    CONFIGS_DIR: mkdtempSync(join(tmpdir(), 'pool-tenants-')),
    MOLECULE_HEARTBEAT_INTERVAL_MS: '50',
    MOLECULE_MCP_POLL_INTERVAL_MS: '30',
    MOLECULE_WORKSPACES: JSON.stringify(
      served.map((s) => ({ id: s.id, token: s.token, platform_url: s.platform.url })),
    ),
  })
  const pool = new WorkspacePool(config, silentLogger)
  const server = createBridgeServer({ pool, logger: silentLogger, version: '0.0.0', push: false, env: {} })
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair()
  await server.connect(serverSide)
  const client = new Client({ name: 'tenant-routing-test', version: '1' })
  await client.connect(clientSide)
  await pool.start()
  const call = async (name: string, args: Record<string, unknown> = {}) => {
    const res = (await client.callTool({ name, arguments: args })) as {
      content: Array<{ text: string }>
      isError?: boolean
    }
    return { text: res.content[0]?.text ?? '', isError: res.isError === true }
  }
  const close = async () => {
    await pool.stop()
    await client.close()
  }
  return { pool, call, close }
}

/** `from` writes to `to` through `to`'s platform, as an agent does: the bridge learns `from` as a peer of `to`. */
async function write(from: Agent, to: Agent, text: string): Promise<void> {
  const res = await fetch(`${to.platform.url}/workspaces/${to.id}/a2a`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-workspace-id': from.id,
      authorization: `Bearer ${from.token}`,
    },
    body: JSON.stringify({
      jsonrpc: '2.0',
      id: text,
      method: 'message/send',
      params: { message: { role: 'user', messageId: text, parts: [{ kind: 'text', text }] } },
    }),
  })
  if (!res.ok) throw new Error(`${from.id} could not write to ${to.id}: HTTP ${res.status}`)
}

/** Whether any activity row or queued delivery of the platform carries the text. */
function platformSaw(platform: RunningDevPlatform, text: string): boolean {
  return JSON.stringify([platform.state.activity.rows, platform.state.queue]).includes(text)
}

/** Whether the text arrived in the inbox of workspace `id` on that platform. */
function inboxOf(platform: RunningDevPlatform, id: string, text: string): boolean {
  return platform.state.activity.rows.some(
    (r) =>
      r.workspace_id === id &&
      r.activity_type === 'a2a_receive' &&
      JSON.stringify(r.request_body ?? null).includes(text),
  )
}

function expectRefusalNamingBothTenants(
  res: { text: string; isError: boolean },
  x: string,
  servedA: Agent,
  servedB: Agent,
) {
  expect(res.isError).toBe(true)
  expect(res.text).toContain(`peer ${x} is known on 2 different platforms`)
  expect(res.text).toContain(`${servedA.id} (platform ${tenantA.url})`)
  expect(res.text).toContain(`${servedB.id} (platform ${tenantB.url})`)
  expect(res.text).toContain('pass source_workspace_id=')
  expect(res.text).toContain('nothing was sent')
}

describe('molecule-mcp routes by (platform URL, peer id)', () => {
  it('a peer id that wrote in from two tenants is refused without source_workspace_id; with it, only that tenant is reached', async () => {
    const { servedA, servedB, peerOnA, lookalikeOnB, x } = await collidingTenants()
    const bridge = await bridgeServing([servedA, servedB])
    try {
      await write(peerOnA, servedA, 'hello from A')
      await write(lookalikeOnB, servedB, 'hello from B')
      await until(() => bridge.pool.pending().length === 2)

      const secret = `confidential plan of tenant A ${x}`
      const refused = await bridge.call('delegate_task', { workspace_id: x, task: secret })
      expectRefusalNamingBothTenants(refused, x, servedA, servedB)
      const refusedAsync = await bridge.call('delegate_task_async', { workspace_id: x, task: secret })
      expectRefusalNamingBothTenants(refusedAsync, x, servedA, servedB)
      const history = await bridge.call('chat_history', { peer_id: x })
      expectRefusalNamingBothTenants(history, x, servedA, servedB)
      expect(platformSaw(tenantA, secret)).toBe(false)
      expect(platformSaw(tenantB, secret)).toBe(false)

      const sent = await bridge.call('delegate_task', {
        workspace_id: x,
        task: secret,
        source_workspace_id: servedA.id,
      })
      expect(sent.isError).toBe(false)
      expect(sent.text).toMatch(/Delivered to Confidential peer on A .*queued in its inbox/)
      expect(inboxOf(tenantA, x, secret)).toBe(true)
      expect(platformSaw(tenantB, secret)).toBe(false)
    } finally {
      await bridge.close()
    }
  })

  it('a peer id listed by two tenants is refused without source_workspace_id; with it, only that tenant is reached', async () => {
    const { servedA, servedB, x } = await collidingTenants()
    const bridge = await bridgeServing([servedA, servedB])
    try {
      const listing = await bridge.call('list_peers')
      expect(listing.text).toContain(`- Confidential peer on A (ID: ${x}`)
      expect(listing.text).toContain(`- Lookalike on B (ID: ${x}`)

      const secret = `confidential plan for ${x}`
      const refused = await bridge.call('delegate_task', { workspace_id: x, task: secret })
      expectRefusalNamingBothTenants(refused, x, servedA, servedB)
      expect(platformSaw(tenantA, secret)).toBe(false)
      expect(platformSaw(tenantB, secret)).toBe(false)

      const sent = await bridge.call('delegate_task', {
        workspace_id: x,
        task: secret,
        source_workspace_id: servedB.id,
      })
      expect(sent.isError).toBe(false)
      expect(sent.text).toMatch(/Delivered to Lookalike on B /)
      expect(inboxOf(tenantB, x, secret)).toBe(true)
      expect(platformSaw(tenantA, secret)).toBe(false)
    } finally {
      await bridge.close()
    }
  })

  it('names each sender as its own tenant knows it, even when two tenants share its id', async () => {
    const { servedA, servedB, peerOnA, lookalikeOnB, x } = await collidingTenants()
    const bridge = await bridgeServing([servedA, servedB])
    try {
      await write(peerOnA, servedA, 'first from A')
      await until(() => bridge.pool.pending()[0]?.peer_name !== undefined)
      await write(lookalikeOnB, servedB, 'then from B')
      await until(() => bridge.pool.pending().filter((m) => m.peer_name !== undefined).length === 2)
      const names = Object.fromEntries(bridge.pool.pending().map((m) => [m.text, m.peer_name]))
      expect(names).toEqual({ 'first from A': 'Confidential peer on A', 'then from B': 'Lookalike on B' })
      expect(bridge.pool.pending().every((m) => m.peer_id === x)).toBe(true)
    } finally {
      await bridge.close()
    }
  })

  it('a peer id known on one tenant only is answered from there, without a selector', async () => {
    const servedA = await agent(tenantA, 'Served on A')
    const servedB = await agent(tenantB, 'Served on B')
    const onlyOnB = await agent(tenantB, 'Only on B')
    const bridge = await bridgeServing([servedA, servedB])
    try {
      await write(onlyOnB, servedB, 'ping')
      await until(() => bridge.pool.pending().length === 1)
      const sent = await bridge.call('delegate_task', { workspace_id: onlyOnB.id, task: 'pong for B' })
      expect(sent.isError).toBe(false)
      expect(inboxOf(tenantB, onlyOnB.id, 'pong for B')).toBe(true)
      expect(
        tenantB.state.activity.rows.some(
          (r) => r.workspace_id === servedB.id && r.activity_type === 'a2a_send',
        ),
      ).toBe(true)
      expect(platformSaw(tenantA, 'pong for B')).toBe(false)
    } finally {
      await bridge.close()
    }
  })

  it('several served workspaces on one platform URL share a tenant: its peers route as the last one seeing them', async () => {
    const first = await agent(tenantA, 'First on A')
    const second = await agent(tenantA, 'Second on A')
    const servedB = await agent(tenantB, 'Served on B')
    const peer = await agent(tenantA, 'Peer on A')
    const bridge = await bridgeServing([first, second, servedB])
    try {
      // Both workspaces of tenant A list the peer; then it writes to the first, which makes the first its route.
      const listing = await bridge.call('list_peers')
      expect(listing.text.split(`(ID: ${peer.id}`)).toHaveLength(3)
      await write(peer, first, 'hi first')
      await until(() => bridge.pool.pending().length === 1)
      expect(bridge.pool.peerRoutes(peer.id)).toEqual([{ workspaceId: first.id, platformUrl: tenantA.url }])

      const sent = await bridge.call('delegate_task', { workspace_id: peer.id, task: 'reply to peer' })
      expect(sent.isError).toBe(false)
      expect(inboxOf(tenantA, peer.id, 'reply to peer')).toBe(true)
      const senders = tenantA.state.activity.rows
        .filter(
          (r) => r.activity_type === 'a2a_send' && JSON.stringify(r.request_body).includes('reply to peer'),
        )
        .map((r) => r.workspace_id)
      expect(senders).toEqual([first.id])
    } finally {
      await bridge.close()
    }
  })

  it('a tenant is the platform URL up to case and default port; another port is another tenant', () => {
    const ids = ['dddddddd-0000-4000-8000-000000000001', 'dddddddd-0000-4000-8000-000000000002']
    const other = 'dddddddd-0000-4000-8000-000000000003'
    const peer = 'eeeeeeee-0000-4000-8000-000000000001'
    const config = loadBridgeConfig({
      CONFIGS_DIR: mkdtempSync(join(tmpdir(), 'pool-tenant-key-')),
      MOLECULE_WORKSPACES: JSON.stringify([
        { id: ids[0], token: 't1', platform_url: 'http://Platform.Example:80/' },
        { id: ids[1], token: 't2', platform_url: 'http://platform.example' },
        { id: other, token: 't3', platform_url: 'http://platform.example:8080' },
      ]),
    })
    const pool = new WorkspacePool(config, silentLogger)
    pool.rememberPeer(peer, ids[0] as string)
    pool.rememberPeer(peer.toUpperCase(), ids[1] as string)
    expect(pool.peerRoutes(peer)).toEqual([{ workspaceId: ids[1], platformUrl: 'http://platform.example' }])
    pool.rememberPeer(peer, other)
    expect(pool.peerRoutes(peer).map((r) => r.workspaceId)).toEqual([ids[1], other])
    pool.rememberPeer(peer, 'not-served')
    expect(pool.peerRoutes(peer)).toHaveLength(2)
  })
})
