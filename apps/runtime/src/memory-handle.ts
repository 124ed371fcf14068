import { createHash } from 'node:crypto'
import type { MemoryHandle } from '@molecule/adapter-core'
import { type Logger, maskSecrets } from '@molecule/core'
import type { Memory, PlatformClient } from '@molecule/platform-client'
import { CONVERSATION_NAMESPACE_PREFIX } from '@molecule/tools'

/** Memories recalled before a turn: the newest ten. */
export const MEMORY_RECALL_LIMIT = 10
/** Per-call limit: recall sits in front of every turn, so a slow platform must not hold the agent up for long. */
const MEMORY_TIMEOUT_MS = 5_000
/** Where the platform puts a memory written without a namespace: the agent's deliberate `commit_memory` notes. */
const DEFAULT_NAMESPACE = 'general'
/** How an adapter's automatic memory of a turn begins (the cli adapter writes `Conversation: <input>`). */
export const CONVERSATION_MEMORY_PREFIX = 'Conversation: '

/**
 * A memory handle that can also keep each conversation's automatic memories to itself. `conversation(contextId,
 * callerId)` is the view an adapter uses around a turn of one A2A conversation: `commit` saves into that
 * conversation's own namespace, `recall` returns the newest of the workspace's deliberate memories and of that
 * conversation's automatic ones, never another conversation's. A conversation is a caller (`RequestContext.callerId`)
 * and a context id together, so one caller reusing another's context id does not read its memories.
 */
export interface ConversationMemoryHandle extends MemoryHandle {
  conversation(contextId: string, callerId?: string): MemoryHandle
}

/** True when `handle` can keep conversations apart. */
export function isConversationMemory(handle: MemoryHandle | undefined): handle is ConversationMemoryHandle {
  return typeof (handle as Partial<ConversationMemoryHandle> | undefined)?.conversation === 'function'
}

/**
 * The platform memory namespace of one conversation: the caller's and the context's. The context id is caller-chosen
 * text of any length, and a namespace holds at most 50 characters: a digest of both fits, cannot be steered into
 * another namespace, and a caller that reuses another caller's context id still gets a namespace of its own.
 */
export function conversationNamespace(contextId: string, callerId = ''): string {
  const digest = createHash('sha256').update(callerId).update('\0').update(contextId).digest('hex')
  return `${CONVERSATION_NAMESPACE_PREFIX}${digest.slice(0, 32)}`
}

function render(memories: readonly Memory[]): string {
  return memories
    .slice(0, MEMORY_RECALL_LIMIT)
    .map((m) => `- [${m.scope || '?'}] ${m.content}`)
    .join('\n')
}

/** Newest first across both lists (ISO timestamps sort as text; a row without one counts as oldest). */
function newestFirst(a: readonly Memory[], b: readonly Memory[]): Memory[] {
  return [...a, ...b].sort((x, y) => (y.created_at ?? '').localeCompare(x.created_at ?? ''))
}

/**
 * The adapter's `recall_memories` / `commit_memory` pair over the runtime's platform client. Recall asks for the ten
 * newest memories (the platform lists newest first without a query); upstream took the last ten of its list, which
 * were the oldest of the fifty newest. Commits are masked with `maskSecrets` of `@molecule/core` first.
 */
export function platformMemory(platform: PlatformClient, log: Logger): ConversationMemoryHandle {
  const search = (namespace: string | undefined, signal: AbortSignal | undefined) =>
    platform.searchMemories(
      { limit: MEMORY_RECALL_LIMIT, ...(namespace ? { namespace } : {}) },
      { timeoutMs: MEMORY_TIMEOUT_MS, retry: false, ...(signal ? { signal } : {}) },
    )
  const recall = async (read: () => Promise<Memory[]>): Promise<string> => {
    try {
      return render(await read())
    } catch (err) {
      log.debug({ err: (err as Error).message }, 'memory recall failed; the turn runs without it')
      return ''
    }
  }
  const commit = async (content: string, namespace: string | undefined): Promise<void> => {
    if (content.trim() === '') return
    try {
      await platform.commitMemory(
        { content: maskSecrets(content), scope: 'LOCAL', ...(namespace ? { namespace } : {}) },
        { timeoutMs: MEMORY_TIMEOUT_MS },
      )
    } catch (err) {
      log.debug({ err: (err as Error).message }, 'memory commit failed')
    }
  }
  return {
    recall: (signal) => recall(() => search(undefined, signal)),
    commit: (content) => commit(content, undefined),
    conversation(contextId, callerId) {
      const namespace = conversationNamespace(contextId, callerId)
      return {
        recall: (signal) =>
          recall(async () => {
            const [deliberate, own] = await Promise.all([
              search(DEFAULT_NAMESPACE, signal),
              search(namespace, signal),
            ])
            // Automatic memories written before conversations were kept apart carry no conversation: left out.
            const notes = deliberate.filter((m) => !m.content.startsWith(CONVERSATION_MEMORY_PREFIX))
            return newestFirst(own, notes)
          }),
        commit: (content) => commit(content, namespace),
      }
    },
  }
}
