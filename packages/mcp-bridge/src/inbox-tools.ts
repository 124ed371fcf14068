import { defineTool, type Tool } from '@molecule/tools'
import { z } from 'zod'
import type { WorkspacePool } from './workspace-pool.js'

/** How long `inbox_peek` waits for the first poll after start before answering with what it has. */
export const FIRST_POLL_WAIT_MS = 5_000

const DISABLED = 'Error: inbox polling is not enabled in this process (MOLECULE_MCP_DISABLE_INBOX is set)'

/** `wait_for_message`, `inbox_peek`, `inbox_pop` over the merged inbox of every served workspace. */
export function inboxTools(pool: WorkspacePool): Tool[] {
  const waitForMessage = defineTool({
    name: 'wait_for_message',
    description:
      'Wait for the next inbound message (from a peer agent or the human) and return it without removing it; call inbox_pop after you handled it.',
    input: z.object({
      timeout_secs: z.number().optional().describe('How long to wait, 0–300 seconds (default 60).'),
    }),
    async run(ctx, input) {
      if (!pool.inboxEnabled) return DISABLED
      const timeoutSecs = Math.min(300, Math.max(0, input.timeout_secs ?? 60))
      const message = await pool.waitForMessage(timeoutSecs * 1000, ctx.signal)
      if (!message) return JSON.stringify({ timeout: true, timeout_secs: timeoutSecs })
      pool.surfaced([message])
      return JSON.stringify(message, null, 2)
    },
  })

  const inboxPeek = defineTool({
    name: 'inbox_peek',
    description: 'List queued inbound messages, oldest first, without removing them.',
    input: z.object({ limit: z.number().int().optional().describe('How many (default 10).') }),
    async run(_ctx, input) {
      if (!pool.inboxEnabled) return DISABLED
      const limit = input.limit === undefined || input.limit <= 0 ? 10 : input.limit
      await pool.inboxReady(FIRST_POLL_WAIT_MS)
      return JSON.stringify(pool.surfaced(pool.pending().slice(0, limit)), null, 2)
    },
  })

  const inboxPop = defineTool({
    name: 'inbox_pop',
    description: 'Acknowledge a handled message by activity_id so it is not delivered again.',
    input: z.object({ activity_id: z.string().describe('The activity_id of the message you handled.') }),
    async run(_ctx, input) {
      if (!pool.inboxEnabled) return DISABLED
      const id = input.activity_id.trim()
      if (!id) return 'Error: activity_id is required'
      return JSON.stringify({ removed: await pool.pop(id), activity_id: id })
    },
  })

  return [waitForMessage, inboxPeek, inboxPop] as Tool[]
}
