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

/** A directory over several (id, client) pairs, like the MCP bridge's pool. */
export function directoryOf(
  clients: PlatformClient[],
  problems: Record<string, string> = {},
): WorkspaceDirectory {
  const peers = new Map<string, string>()
  return {
    ids: () => clients.map((c) => c.workspaceId),
    clientFor: (id) => clients.find((c) => c.workspaceId === id),
    rememberPeer: (peer, ws) => void peers.set(peer, ws),
    workspaceForPeer: (peer) => peers.get(peer),
    problemWith: (id) => problems[id],
  }
}
