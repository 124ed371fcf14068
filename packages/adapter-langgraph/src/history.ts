import { AIMessage, type BaseMessage, HumanMessage } from '@langchain/core/messages'
import { extractText, type RequestContext } from '@molecule/adapter-core'

/**
 * The conversation before this turn: `metadata.history` of the request (the platform sends `{role, parts}` entries;
 * `user` is the human, anything else the agent), else the task's own earlier messages. Entries without text and
 * anything that is not an object are skipped.
 */
export function priorMessages(ctx: Pick<RequestContext, 'metadata' | 'history'>): BaseMessage[] {
  const fromMetadata = ctx.metadata?.history
  const entries: readonly unknown[] = Array.isArray(fromMetadata) ? fromMetadata : ctx.history
  const out: BaseMessage[] = []
  for (const entry of entries) {
    if (entry === null || typeof entry !== 'object' || Array.isArray(entry)) continue
    const { role, parts } = entry as { role?: unknown; parts?: unknown }
    const text = extractText({ parts })
    if (!text) continue
    out.push(role === 'user' ? new HumanMessage(text) : new AIMessage(text))
  }
  return out
}
