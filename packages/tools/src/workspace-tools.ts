import { isMoleculeError, loadEnv, type RuntimeEnv } from '@molecule/config'
import { isPlatformError, type Peer } from '@molecule/platform-client'
import { z } from 'zod'
import { isResolutionError, resolveActing } from './acting-workspace.js'
import { describeFailure } from './platform-failure.js'
import { defineTool, type Tool } from './registry.js'

const sourceArg = z.string().optional().describe('Which of your workspaces acts (multi-workspace mode).')

export interface IdentityEnv {
  [name: string]: string | undefined
}

/**
 * The environment `get_runtime_identity` reads: a resolved `RuntimeEnv` (preferred), or raw variables that are
 * resolved through `loadEnv` on first use.
 */
export type IdentitySource = RuntimeEnv | IdentityEnv

function isRuntimeEnv(source: IdentitySource): source is RuntimeEnv {
  return typeof (source as { get?: unknown }).get === 'function'
}

/** Resolves lazily: `loadEnv` runs on the first `get_runtime_identity` call, not when the tools are built. */
function identityEnv(source: IdentitySource | undefined): () => RuntimeEnv {
  let resolved: RuntimeEnv | undefined = source && isRuntimeEnv(source) ? source : undefined
  return () => {
    resolved ??= loadEnv(source && !isRuntimeEnv(source) ? source : undefined)
    return resolved
  }
}

export function workspaceTools(source?: IdentitySource): Tool[] {
  const runtimeEnv = identityEnv(source)
  const listPeers = defineTool({
    name: 'list_peers',
    description:
      'List the workspaces you can talk to (name, id, status, role). In multi-workspace mode it lists the peers of every workspace you serve unless source_workspace_id is given.',
    input: z.object({ source_workspace_id: sourceArg }),
    async run(ctx, input) {
      const dir = ctx.workspaces
      const sources =
        input.source_workspace_id?.trim() || !dir || dir.ids().length <= 1
          ? [input.source_workspace_id?.trim() || ctx.workspaceId]
          : dir.ids()
      const aggregate = sources.length > 1
      const lines: string[] = []
      const problems: string[] = []
      for (const source of sources) {
        const acting = resolveActing(ctx, { explicit: source })
        if (isResolutionError(acting)) {
          problems.push(`[${source.slice(0, 8)}] ${acting.error.replace(/^Error: /, '')}`)
          continue
        }
        let peers: Peer[]
        try {
          peers = await acting.client.listPeers({}, { signal: ctx.signal })
        } catch (err) {
          problems.push(`[${source.slice(0, 8)}] ${describeFailure(err, acting.client.platformUrl)}`)
          continue
        }
        for (const peer of peers) {
          dir?.rememberPeer(peer.id, acting.id)
          const via = aggregate ? `, via: ${acting.id.slice(0, 8)}` : ''
          lines.push(
            `- ${peer.name ?? peer.id.slice(0, 8)} (ID: ${peer.id}, status: ${peer.status ?? 'unknown'}, role: ${peer.role ?? ''}${via})`,
          )
        }
      }
      if (lines.length > 0) {
        return problems.length > 0
          ? `${lines.join('\n')}\n(some workspaces failed: ${problems.join('; ')})`
          : lines.join('\n')
      }
      if (problems.length > 0) return { text: `No peers found. ${problems.join('; ')}`, isError: true }
      return 'No peers available (this workspace may be isolated)'
    },
  })

  const getWorkspaceInfo = defineTool({
    name: 'get_workspace_info',
    description: 'Details of your workspace (name, role, tier, status, parent, agent card).',
    input: z.object({ source_workspace_id: sourceArg }),
    async run(ctx, input) {
      const acting = resolveActing(ctx, { explicit: input.source_workspace_id })
      if (isResolutionError(acting)) return acting.error
      try {
        return JSON.stringify(await acting.client.getWorkspace(acting.id, { signal: ctx.signal }), null, 2)
      } catch (err) {
        if (isPlatformError(err) && err.status === 410) {
          let removed: Record<string, unknown> = {}
          try {
            removed = JSON.parse(err.bodyExcerpt ?? '{}') as Record<string, unknown>
          } catch {
            // excerpt was not JSON: report what we know
          }
          return {
            text: JSON.stringify(
              {
                error: 'removed',
                id: acting.id,
                removed_at: removed.removed_at,
                hint: removed.hint ?? 'this workspace was deleted; create a new one and use its id and token',
              },
              null,
              2,
            ),
            isError: true,
          }
        }
        if (isPlatformError(err) && err.status === 404)
          return { text: JSON.stringify({ error: 'not found' }), isError: true }
        return {
          text: JSON.stringify({ error: describeFailure(err, acting.client.platformUrl) }),
          isError: true,
        }
      }
    },
  })

  const getRuntimeIdentity = defineTool({
    name: 'get_runtime_identity',
    description:
      'Which model, provider, tier and runtime this agent runs as (from the environment; no network).',
    input: z.object({}),
    async run(ctx) {
      const identity = ctx.identity ?? {}
      let env: RuntimeEnv
      try {
        env = runtimeEnv()
      } catch (err) {
        if (isMoleculeError(err)) return `Error: ${err.message}`
        throw err
      }
      const tier = env.get('TIER')?.trim()
      return JSON.stringify(
        {
          model: identity.model ?? env.get('MODEL') ?? null,
          model_provider: identity.modelProvider ?? env.modelProvider ?? null,
          molecule_model: identity.moleculeModel ?? env.get('MOLECULE_MODEL') ?? null,
          anthropic_base_url: identity.anthropicBaseUrl ?? env.get('ANTHROPIC_BASE_URL') ?? null,
          tier: ctx.tier ?? (tier ? Number(tier) : null),
          workspace_id: ctx.workspaceId,
          runtime: identity.runtime ?? env.adapterModule ?? null,
        },
        null,
        2,
      )
    },
  })

  const updateAgentCard = defineTool({
    name: 'update_agent_card',
    description:
      'Replace your agent card (name, description, skills) as peers and the canvas see it. In multi-workspace mode pass workspace_id to pick which card.',
    input: z.object({
      card: z
        .record(z.string(), z.unknown())
        .describe('The full agent card object, e.g. {"name": "...", "skills": [...]}'),
      workspace_id: z
        .string()
        .optional()
        .describe('Which of your workspaces (multi-workspace mode); default primary.'),
    }),
    async run(ctx, input) {
      const acting = resolveActing(ctx, { explicit: input.workspace_id })
      if (isResolutionError(acting)) return acting.error
      if (typeof input.card.name !== 'string' || input.card.name.trim() === '') {
        return 'Error: card.name is required (a non-empty string)'
      }
      try {
        const res = await acting.client.updateCard(input.card as { name: string }, { signal: ctx.signal })
        return JSON.stringify({ success: true, status: res.status })
      } catch (err) {
        const out: Record<string, unknown> = {
          success: false,
          error: describeFailure(err, acting.client.platformUrl),
        }
        if (isPlatformError(err) && err.status !== undefined) out.status_code = err.status
        return { text: JSON.stringify(out), isError: true }
      }
    },
  })

  return [listPeers, getWorkspaceInfo, getRuntimeIdentity, updateAgentCard] as Tool[]
}
