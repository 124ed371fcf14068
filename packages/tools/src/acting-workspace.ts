import type { PlatformClient } from '@molecule/platform-client'
import type { ToolContext } from './registry.js'

export interface ActingWorkspace {
  id: string
  client: PlatformClient
}

export type Resolution = ActingWorkspace | { error: string }

export interface ResolveOptions {
  /** The explicit selector argument (`source_workspace_id` / `workspace_id`). */
  explicit?: string | undefined
  /** A peer whose last-seen workspace should act (replies go out as the workspace the peer talks to). */
  peerId?: string | undefined
  /** Default when neither selector nor peer resolves (e.g. the arrival workspace of a user message). */
  fallback?: string | undefined
}

/**
 * Picks the workspace a call acts as: explicit selector → the workspace the peer last talked to → the given
 * fallback → the primary. The chosen workspace's own client (its token and platform URL) makes the call.
 */
export function resolveActing(ctx: ToolContext, options: ResolveOptions = {}): Resolution {
  const dir = ctx.workspaces
  const explicit = options.explicit?.trim().toLowerCase()
  let id = explicit || undefined
  if (!id && options.peerId && dir) id = dir.workspaceForPeer(options.peerId.trim().toLowerCase())
  if (!id && options.fallback) id = options.fallback
  if (!id) id = ctx.workspaceId
  if (id === ctx.workspaceId && !dir) return { id, client: ctx.platform }
  if (!dir) {
    return {
      error: `Error: workspace ${id} is not served by this process; it acts only as ${ctx.workspaceId}`,
    }
  }
  const client = dir.clientFor(id)
  if (!client) {
    return {
      error: `Error: workspace ${id} is not one of this process's workspaces (${dir.ids().join(', ')}); pass one of them`,
    }
  }
  const problem = dir.problemWith?.(id)
  if (problem) return { error: `Error: workspace ${id} cannot act right now: ${problem}` }
  return { id, client }
}

export function isResolutionError(r: Resolution): r is { error: string } {
  return 'error' in r
}
