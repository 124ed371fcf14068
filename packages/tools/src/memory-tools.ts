import { maskSecrets } from '@molecule/core'
import { isPlatformError, type MemoryScope } from '@molecule/platform-client'
import { z } from 'zod'
import { isResolutionError, resolveActing } from './acting-workspace.js'
import { globalRefusal } from './global-memory.js'
import { describeFailure } from './platform-failure.js'
import { defineTool, type Tool } from './registry.js'

const SCOPES: readonly MemoryScope[] = ['LOCAL', 'TEAM', 'GLOBAL']
/** Memory belongs to one workspace: in multi-workspace mode the call must say which. */
const SELECTOR = 'source_workspace_id'

/** Namespaces of per-conversation automatic memories (the runtime's `conversation-<digest>`). */
export const CONVERSATION_NAMESPACE_PREFIX = 'conversation-'

function toScope(raw: string | undefined): MemoryScope | undefined {
  const upper = raw?.trim().toUpperCase()
  return SCOPES.find((s) => s === upper)
}

export function memoryTools(): Tool[] {
  const commitMemory = defineTool({
    name: 'commit_memory',
    description:
      'Save a fact for later. LOCAL = only this workspace; TEAM = your parent and all its children (for a top-level workspace: itself and its children, not the other top-level workspaces); GLOBAL = every workspace, needs a tier-0 top-level workspace. Secrets are redacted before saving.',
    input: z.object({
      content: z.string().describe('What to remember.'),
      // Advertised as the upstream enum; matched case-insensitively.
      scope: z
        .string()
        .optional()
        .meta({ description: 'LOCAL (default), TEAM or GLOBAL.', enum: [...SCOPES], default: 'LOCAL' }),
      source_workspace_id: z
        .string()
        .optional()
        .describe('Which of your workspaces owns it (multi-workspace mode).'),
    }),
    async run(ctx, input) {
      // Redact first, through the one redaction point: nothing below (logs, platform) ever sees the raw secret.
      const content = maskSecrets(input.content)
      if (!content.trim()) return 'Error: content is required'
      const scope = toScope(input.scope) ?? 'LOCAL'
      const acting = resolveActing(ctx, {
        explicit: input.source_workspace_id,
        requiredWhenSeveral: SELECTOR,
      })
      if (isResolutionError(acting)) return acting.error
      if (scope === 'GLOBAL') {
        const refusal = await globalRefusal(ctx, acting)
        if (refusal) return refusal
      }
      try {
        const res = await acting.client.commitMemory({ content, scope }, { signal: ctx.signal })
        return JSON.stringify({ success: true, id: res.id, scope: res.scope ?? scope })
      } catch (err) {
        if (isPlatformError(err) && err.serverError) return `Error: ${err.serverError}`
        return `Error saving memory: ${describeFailure(err, acting.client.platformUrl)}`
      }
    },
  })

  const recallMemory = defineTool({
    name: 'recall_memory',
    description:
      'Search saved memories by text; scope LOCAL (yours), TEAM (your parent and its children, or for a top-level workspace itself and its children) or GLOBAL narrows it (empty = everything you wrote).',
    input: z.object({
      query: z.string().optional().describe('Words to search for; empty lists the newest.'),
      scope: z
        .string()
        .optional()
        .meta({ description: 'LOCAL, TEAM, GLOBAL, or empty.', enum: [...SCOPES, ''] }),
      source_workspace_id: z.string().optional().describe('Which of your workspaces (multi-workspace mode).'),
    }),
    async run(ctx, input) {
      const acting = resolveActing(ctx, {
        explicit: input.source_workspace_id,
        requiredWhenSeveral: SELECTOR,
      })
      if (isResolutionError(acting)) return acting.error
      const scope = toScope(input.scope)
      if (input.scope?.trim() && !scope)
        return `Error: scope '${input.scope}' must be LOCAL, TEAM, GLOBAL or empty`
      try {
        const rows = await acting.client.searchMemories(
          { ...(input.query?.trim() ? { q: input.query.trim() } : {}), ...(scope ? { scope } : {}) },
          { signal: ctx.signal },
        )
        // A runtime keeps each conversation's automatic turn memories in a namespace of its own and recalls them
        // only in that conversation; listing them here would hand one caller's words to whoever asks next.
        const visible = rows.filter((m) => !m.namespace?.startsWith(CONVERSATION_NAMESPACE_PREFIX))
        if (visible.length === 0) return 'No memories found.'
        return visible.map((m) => `[${m.scope ?? '?'}] ${m.content}`).join('\n')
      } catch (err) {
        return `Error recalling memory: ${describeFailure(err, acting.client.platformUrl)}`
      }
    },
  })

  return [commitMemory, recallMemory] as Tool[]
}
