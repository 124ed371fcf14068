import type { PlatformClient } from '@molecule/platform-client'
import type { PeerRoute, ToolContext } from './registry.js'

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
  /**
   * The name of the tool's selector argument, for the error when the peer id is known on several tenants
   * (default `source_workspace_id`).
   */
  selectorArg?: string | undefined
  /** Default when neither selector nor peer resolves (e.g. the arrival workspace of a user message). */
  fallback?: string | undefined
  /**
   * Refuse to guess when several workspaces are served and the call names none (no selector, peer or fallback):
   * the tool's argument that must then be passed. Memory belongs to one workspace, so the first one is no answer.
   */
  requiredWhenSeveral?: string | undefined
}

/**
 * Picks the workspace a call acts as: explicit selector → the workspace the peer last talked to → the given
 * fallback → the primary. The chosen workspace's own client (its token and platform URL) makes the call.
 *
 * A peer id known on two tenants (two platform URLs) names two different workspaces: guessing would hand one
 * tenant's text to the other, so without an explicit selector the call is refused and nothing is sent.
 */
export function resolveActing(ctx: ToolContext, options: ResolveOptions = {}): Resolution {
  const dir = ctx.workspaces
  const explicit = options.explicit?.trim().toLowerCase()
  let id = explicit || undefined
  if (!id && options.peerId && dir) {
    const peer = options.peerId.trim().toLowerCase()
    const routes = dir.peerRoutes(peer)
    if (routes.length > 1) return { error: ambiguousPeer(peer, routes, options.selectorArg) }
    id = routes[0]?.workspaceId
  }
  if (!id && options.fallback) id = options.fallback
  if (!id && options.requiredWhenSeveral && dir && dir.ids().length > 1) {
    const arg = options.requiredWhenSeveral
    return {
      error: `Error: this process serves ${dir.ids().length} workspaces (${dir.ids().join(', ')}) and the call names none; pass ${arg}=<one of them> to say which workspace acts. Nothing was done.`,
    }
  }
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

function ambiguousPeer(peer: string, routes: PeerRoute[], selectorArg = 'source_workspace_id'): string {
  const known = routes.map((r) => `${r.workspaceId} (platform ${r.platformUrl})`).join(', ')
  return [
    `Error: peer ${peer} is known on ${routes.length} different platforms, where that id names different workspaces; it was seen from your workspaces ${known}.`,
    `The call was refused and nothing was sent: pass ${selectorArg}=<one of those workspace ids> to say which platform's ${peer} you mean.`,
  ].join(' ')
}

export function isResolutionError(r: Resolution): r is { error: string } {
  return 'error' in r
}
