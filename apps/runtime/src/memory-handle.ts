import type { MemoryHandle } from '@molecule/adapter-core'
import type { Logger } from '@molecule/core'
import type { PlatformClient } from '@molecule/platform-client'
import { redactSecrets } from '@molecule/tools'

/** Memories recalled before a turn: the newest ten. */
export const MEMORY_RECALL_LIMIT = 10
/** Per-call limit: recall sits in front of every turn, so a slow platform must not hold the agent up for long. */
const MEMORY_TIMEOUT_MS = 5_000

/**
 * The adapter's `recall_memories` / `commit_memory` pair over the runtime's platform client. Recall asks for the ten newest
 * memories (the platform lists newest first without a query); upstream took the last ten of its list, which
 * were the oldest of the fifty newest.
 */
export function platformMemory(platform: PlatformClient, log: Logger): MemoryHandle {
  return {
    async recall(signal) {
      try {
        const memories = await platform.searchMemories(
          { limit: MEMORY_RECALL_LIMIT },
          { timeoutMs: MEMORY_TIMEOUT_MS, retry: false, ...(signal ? { signal } : {}) },
        )
        return memories
          .slice(0, MEMORY_RECALL_LIMIT)
          .map((m) => `- [${m.scope || '?'}] ${m.content}`)
          .join('\n')
      } catch (err) {
        log.debug({ err: (err as Error).message }, 'memory recall failed; the turn runs without it')
        return ''
      }
    },
    async commit(content) {
      if (content.trim() === '') return
      try {
        await platform.commitMemory(
          { content: redactSecrets(content), scope: 'LOCAL' },
          { timeoutMs: MEMORY_TIMEOUT_MS },
        )
      } catch (err) {
        log.debug({ err: (err as Error).message }, 'memory commit failed')
      }
    },
  }
}
