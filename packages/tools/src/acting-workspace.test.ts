import { PlatformClient } from '@molecule/platform-client'
import { describe, expect, it } from 'vitest'
import { isResolutionError, resolveActing } from './acting-workspace.js'
import { createPlatformTools } from './platform-tools.js'
import { ToolRegistry } from './registry.js'
import { contextFor, directoryOf } from './test-support.js'

// Nothing listens on these: a tool that got past routing would fail with an unreachable platform instead.
const TENANT_A = 'http://127.0.0.1:9'
const TENANT_B = 'http://127.0.0.1:7'
const A1 = 'aaaaaaaa-0000-4000-8000-000000000001'
const A2 = 'aaaaaaaa-0000-4000-8000-000000000002'
const B1 = 'bbbbbbbb-0000-4000-8000-000000000001'
const PEER = 'cccccccc-0000-4000-8000-000000000001'

function served(...workspaces: Array<[id: string, url: string]>) {
  const clients = workspaces.map(
    ([workspaceId, platformUrl]) => new PlatformClient({ platformUrl, workspaceId, retry: { attempts: 1 } }),
  )
  const dir = directoryOf(clients)
  const [primaryId, primaryUrl] = workspaces[0] ?? [A1, TENANT_A]
  return { dir, ctx: contextFor(primaryUrl, primaryId, undefined, { workspaces: dir }) }
}

function actingId(resolution: ReturnType<typeof resolveActing>): string {
  if (isResolutionError(resolution)) throw new Error(resolution.error)
  return resolution.id
}

describe('resolveActing routes a peer by (platform URL, peer id)', () => {
  it('a peer unknown anywhere acts as the fallback, else the primary', () => {
    const { ctx } = served([A1, TENANT_A], [B1, TENANT_B])
    expect(actingId(resolveActing(ctx, { peerId: PEER }))).toBe(A1)
    expect(actingId(resolveActing(ctx, { peerId: PEER, fallback: B1 }))).toBe(B1)
  })

  it('a peer known on one tenant acts as the workspace that saw it there, whatever its case', () => {
    const { dir, ctx } = served([A1, TENANT_A], [B1, TENANT_B])
    dir.rememberPeer(PEER, B1)
    expect(actingId(resolveActing(ctx, { peerId: ` ${PEER.toUpperCase()} ` }))).toBe(B1)
  })

  it('workspaces on one platform URL share a tenant: the last one seeing the peer acts', () => {
    const { dir, ctx } = served([A1, TENANT_A], [A2, TENANT_A], [B1, TENANT_B])
    dir.rememberPeer(PEER, A2)
    dir.rememberPeer(PEER, A1)
    expect(actingId(resolveActing(ctx, { peerId: PEER }))).toBe(A1)
  })

  it('a peer id known on two tenants needs the selector; the error names the peer, both workspaces and the argument', () => {
    const { dir, ctx } = served([A1, TENANT_A], [B1, TENANT_B])
    dir.rememberPeer(PEER, A1)
    dir.rememberPeer(PEER, B1)
    const refused = resolveActing(ctx, { peerId: PEER, selectorArg: 'from_workspace', fallback: A1 })
    expect(isResolutionError(refused)).toBe(true)
    const text = isResolutionError(refused) ? refused.error : ''
    expect(text).toMatch(
      /^Error: peer cccccccc-0000-4000-8000-000000000001 is known on 2 different platforms/,
    )
    expect(text).toContain(`${A1} (platform ${TENANT_A})`)
    expect(text).toContain(`${B1} (platform ${TENANT_B})`)
    expect(text).toContain('nothing was sent: pass from_workspace=<one of those workspace ids>')
    const defaultArg = resolveActing(ctx, { peerId: PEER })
    expect(isResolutionError(defaultArg) && defaultArg.error).toContain('pass source_workspace_id=')
    expect(actingId(resolveActing(ctx, { peerId: PEER, explicit: B1 }))).toBe(B1)
    expect(actingId(resolveActing(ctx, { peerId: PEER, explicit: A1 }))).toBe(A1)
  })

  it('without a directory (the runtime) the peer is ignored and the workspace acts as itself', () => {
    const ctx = contextFor(TENANT_A, A1, undefined)
    expect(actingId(resolveActing(ctx, { peerId: PEER }))).toBe(A1)
  })
})

describe('tools that answer a peer refuse an id two tenants hold', () => {
  const registry = new ToolRegistry(createPlatformTools({ a2aAttempts: 1 }))

  it.each([
    ['delegate_task', { workspace_id: PEER, task: 'confidential' }],
    ['delegate_task_async', { workspace_id: PEER, task: 'confidential' }],
    ['chat_history', { peer_id: PEER }],
  ])('%s asks for source_workspace_id before any platform call', async (tool, args) => {
    const { dir, ctx } = served([A1, TENANT_A], [B1, TENANT_B])
    dir.rememberPeer(PEER, A1)
    dir.rememberPeer(PEER, B1)
    const result = await registry.call(tool, ctx, args)
    expect(result.isError).toBe(true)
    expect(result.text).toContain(`peer ${PEER} is known on 2 different platforms`)
    expect(result.text).toContain('pass source_workspace_id=')
  })
})
