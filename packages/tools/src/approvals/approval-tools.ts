import { z } from 'zod'
import { defineTool, type Tool } from '../registry.js'
import { asToolResult } from './approval-result.js'
import type { ApprovalService } from './approval-service.js'

/** Default wait of `check_approval` when the caller gives none. */
const CHECK_WAIT_SECONDS = 30

/**
 * `request_approval(action, reason)` asks a human and waits for the decision; `check_approval(approval_id)` picks up
 * the decision of an earlier request (one that answered `pending` or `timed_out`). Both are always listed.
 */
export function approvalTools(service: ApprovalService): Tool[] {
  const requestApproval = defineTool({
    name: 'request_approval',
    description:
      'Ask a human to approve an action before you take it, and wait for the decision. Answers JSON with approved (true/false) and outcome: approved, denied, expired (nobody decided; the platform denied it), timed_out or pending (no decision yet: call check_approval with the approval_id, do not ask again).',
    input: z.object({
      action: z
        .string()
        .describe('What you want to do, in a few words (e.g. "deploy release 1.4 to production").'),
      reason: z.string().describe('Why it is needed: what the human should know to decide.'),
    }),
    async run(ctx, input) {
      if (!input.action.trim()) return 'Error: action is required'
      return asToolResult(await service.request(ctx, { action: input.action, reason: input.reason }))
    },
  })

  const checkApproval = defineTool({
    name: 'check_approval',
    description:
      'Get the decision on an approval you requested earlier (request_approval answered pending or timed_out). Waits up to wait_secs for it; answers the same JSON as request_approval.',
    input: z.object({
      approval_id: z.string().describe('The approval_id request_approval returned.'),
      wait_secs: z
        .number()
        .optional()
        .describe(
          `How long to wait for a decision, in seconds (default ${CHECK_WAIT_SECONDS}; 0 = just look).`,
        ),
    }),
    async run(ctx, input) {
      const id = input.approval_id.trim()
      if (!id) return 'Error: approval_id is required'
      const wait = Math.max(0, input.wait_secs ?? CHECK_WAIT_SECONDS)
      return asToolResult(await service.check(ctx, id, wait))
    },
  })

  return [requestApproval, checkApproval] as Tool[]
}
