import { z } from 'zod'
import { noAudit } from '../audit/audit-log.js'
import { DEFAULT_ROLES } from '../rbac.js'
import type { NormalisedResult, Tool, ToolContext, ToolResult } from '../registry.js'
import type { ApprovalResult } from './approval-result.js'
import type { ApprovalService } from './approval-service.js'
import { callFingerprint } from './call-fingerprint.js'

export interface RequiresApprovalOptions {
  /** The action the human is asked about; default the tool's name. */
  actionDescription?: string
  /**
   * The reason shown to the human, with `{argument}` placeholders filled from the call (a template naming an
   * argument the call lacks is shown as written). Default: the first three arguments, `Args: k=v, …`.
   */
  reasonTemplate?: string
  /** Roles whose calls run without asking; default the service's (config.yaml `hitl.bypass_roles`). */
  bypassRoles?: readonly string[]
}

const APPROVAL_ID_HELP =
  'Only when resuming: the approval_id an earlier call of this tool answered with, once the human decided. The other arguments must be exactly the ones that were approved.'

function reasonFor(template: string | undefined, args: Record<string, unknown>): string {
  if (template) {
    let missing = false
    const filled = template.replace(/\{(\w+)\}/g, (_m, key: string) => {
      if (!(key in args)) missing = true
      return String(args[key])
    })
    return missing ? template : filled
  }
  const shown = Object.entries(args).slice(0, 3)
  if (shown.length === 0) return 'Automated action'
  return `Args: ${shown.map(([k, v]) => `${k}=${(typeof v === 'string' ? v : JSON.stringify(v)).slice(0, 60)}`).join(', ')}`
}

function json(value: Record<string, unknown>, isError: boolean): NormalisedResult {
  return { text: JSON.stringify(value), isError, data: value }
}

/**
 * Gates a tool behind a human approval. A call asks for approval (the request carries the tool name and a SHA-256
 * of the call's arguments) and runs once approved; a call still undecided when the wait ends answers `pending` with
 * the approval id, and the same call repeated with `approval_id` runs once the human approves. The approval is bound
 * to those exact arguments and spent by the run that executes: other arguments are refused, a second run is
 * refused, concurrent identical calls share one request and execute once. Roles in the bypass list run directly.
 */
export function requiresApproval<I extends z.ZodType>(
  tool: Tool<I>,
  service: ApprovalService,
  options: RequiresApprovalOptions = {},
): Tool {
  const action = options.actionDescription || tool.name
  const input =
    tool.input instanceof z.ZodObject
      ? tool.input.extend({ approval_id: z.string().optional().describe(APPROVAL_ID_HELP) })
      : tool.input

  // Answers a refusal, or the run to execute (outside the gate's error handling: a failing tool is not a gate error).
  async function gated(
    ctx: ToolContext,
    raw: Record<string, unknown>,
  ): Promise<ToolResult | (() => Promise<ToolResult>)> {
    const audit = ctx.audit ?? noAudit
    const roles = ctx.roles ?? DEFAULT_ROLES
    const bypass = options.bypassRoles ?? service.bypassRoles
    const { approval_id: resumeId, ...args } = raw
    const run = () => tool.run(ctx, args as z.infer<I>)
    if (roles.some((role) => bypass.includes(role))) return run
    const fingerprint = callFingerprint(tool.name, args)
    const refuse = (approvalId: string | undefined, why: string): NormalisedResult => {
      audit.log('hitl', 'approve', action, 'denied', {
        approval_id: approvalId,
        tool: tool.name,
        reason: why,
      })
      return json(
        { success: false, error: `Action '${action}' not approved: ${why}`, approval_id: approvalId },
        true,
      )
    }

    let result: ApprovalResult
    if (typeof resumeId === 'string' && resumeId.trim()) {
      const id = resumeId.trim()
      const refusal = service.grants.check(id, fingerprint)
      if (refusal === 'unknown')
        return refuse(id, `approval ${id} was not requested for a call of ${tool.name} by this process`)
      if (refusal === 'other_call')
        return refuse(id, `approval ${id} was given for other arguments; ask again for these`)
      if (refusal === 'used') return refuse(id, `approval ${id} was already used: the approved call ran once`)
      result = await service.check(ctx, id, service.timeoutSeconds())
    } else {
      const joined = service.grants.inFlight<ApprovalResult>(fingerprint)
      result = await (joined ??
        service.grants.track(
          fingerprint,
          service.request(ctx, {
            action,
            reason: reasonFor(options.reasonTemplate, args),
            context: { tool: tool.name, args_sha256: fingerprint },
            onCreated: (id) => service.grants.record(id, tool.name, fingerprint),
          }),
        ))
    }

    const approvalId = result.approval_id
    if (result.outcome === 'pending' || result.outcome === 'timed_out') {
      return json(
        {
          success: false,
          outcome: result.outcome,
          approval_id: approvalId,
          message: `Waiting for a human decision. Once decided (check_approval reports it), call ${tool.name} again with the same arguments and approval_id "${approvalId}".`,
        },
        false,
      )
    }
    if (!result.approved || !approvalId) return refuse(approvalId, result.message ?? result.error ?? 'denied')
    if (!service.grants.spend(approvalId, fingerprint)) {
      return refuse(approvalId, `approval ${approvalId} was already used: the approved call ran once`)
    }
    audit.log('hitl', 'approve', action, 'granted', {
      approval_id: approvalId,
      tool: tool.name,
      actor: result.decided_by,
    })
    return run
  }

  return {
    name: tool.name,
    description: `${tool.description} Needs a human's approval before it runs.`,
    input,
    async run(ctx, raw) {
      let outcome: Awaited<ReturnType<typeof gated>>
      try {
        outcome = await gated(ctx, (raw ?? {}) as Record<string, unknown>)
      } catch (err) {
        return json(
          { success: false, error: `Approval gate error: ${(err as Error).message ?? String(err)}` },
          true,
        )
      }
      return typeof outcome === 'function' ? outcome() : outcome
    },
  } as Tool
}
