import { silentLogger } from '@molecule/core'
import { PlatformClient } from '@molecule/platform-client'
import type { ToolContext, WorkspaceDirectory } from './registry.js'

/** Test helper (not exported from the package): a tool context acting as one dev-platform workspace. */
export function contextFor(
  url: string,
  workspaceId: string,
  token: string | undefined,
  extra: Partial<ToolContext> = {},
): ToolContext {
  return {
    workspaceId,
    platform: new PlatformClient({
      platformUrl: url,
      workspaceId,
      ...(token ? { token } : {}),
      retry: { attempts: 1 },
    }),
    logger: silentLogger,
    signal: new AbortController().signal,
    ...extra,
  }
}

/**
 * A directory over several (id, client) pairs, like the MCP bridge's pool: a peer is remembered per tenant (the
 * platform URL of the workspace that saw it), the last workspace seeing it on a tenant wins.
 */
export function directoryOf(
  clients: PlatformClient[],
  problems: Record<string, string> = {},
): WorkspaceDirectory {
  const peers = new Map<string, Map<string, string>>()
  const clientFor = (id: string) => clients.find((c) => c.workspaceId === id)
  return {
    ids: () => clients.map((c) => c.workspaceId),
    clientFor,
    rememberPeer: (peer, ws) => {
      const client = clientFor(ws)
      if (!client) return
      const byTenant = peers.get(peer) ?? new Map<string, string>()
      byTenant.set(client.platformUrl, ws)
      peers.set(peer, byTenant)
    },
    peerRoutes: (peer) =>
      [...(peers.get(peer) ?? new Map<string, string>())].map(([platformUrl, workspaceId]) => ({
        workspaceId,
        platformUrl,
      })),
    problemWith: (id) => problems[id],
  }
}
