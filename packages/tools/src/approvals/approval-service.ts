import type { HITLChannel } from '@molecule/config'
import { isPlatformError } from '@molecule/platform-client'
import { noAudit } from '../audit/audit-log.js'
import { describeFailure } from '../platform-failure.js'
import type { ToolContext } from '../registry.js'
import { currentTask } from '../task-scope.js'
import { ApprovalGrants } from './approval-grants.js'
import {
  type ApprovalResult,
  decidedResult,
  failedResult,
  pendingResult,
  timedOutResult,
} from './approval-result.js'
import { type ChannelOptions, notifyChannels } from './channels.js'
import { decisionFromRow } from './decision.js'
import { waitForDecision } from './wait-for-decision.js'

export interface ApprovalSettings {
  /**
   * Variables read at every call: `APPROVAL_TIMEOUT` (seconds a request is waited for, default 300),
   * `APPROVAL_POLL_INTERVAL` (seconds between list reads beside the event stream, default 5), `SMTP_PASSWORD`.
   * Default `process.env`.
   */
  env?: Readonly<Record<string, string | undefined>>
  /**
   * The longest one tool call waits; when it runs out before `APPROVAL_TIMEOUT`, the answer is `pending` with the
   * id for `check_approval`. The MCP bridge sets 50 s (MCP clients give up on a call after about 60 s). Default: none.
   */
  waitBudgetMs?: number
  /** config.yaml `hitl.channels`; default `[{type: dashboard}]`. */
  channels?: readonly HITLChannel[]
  /** config.yaml `hitl.bypass_roles`: roles whose gated calls run without asking. */
  bypassRoles?: readonly string[]
  /** Shown in Slack and e-mail notifications; default the workspace id. */
  workspaceName?: string
  /** Extra channel options (a private CA for SMTP, the fetch for Slack). */
  channelOptions?: Partial<Omit<ChannelOptions, 'logger'>>
}

export interface ApprovalAsk {
  action: string
  reason: string
  /** Sent as the request's `context` (with the task's context id). */
  context?: Record<string, unknown>
  /** Called with the new request's id before the wait starts (a gated call binds it to its arguments). */
  onCreated?: (approvalId: string) => void
}

/** Seconds from an env value; a blank or unusable one falls back to the default. */
function seconds(raw: string | undefined, fallback: number): number {
  const value = Number(raw?.trim())
  return raw?.trim() && Number.isFinite(value) && value >= 0 ? value : fallback
}

/**
 * Human approvals for the tools of one process: creates a request with the workspace's token (with the current
 * task's id and context), notifies the configured channels with the real id, and waits for the decision on the
 * platform's event stream while polling. Every step is audited (`approval / approve / <action> / …`); a decision is
 * audited once however often it is read.
 */
export class ApprovalService {
  readonly bypassRoles: readonly string[]
  /** The approvals asked for gated tool calls, each bound to its call and spent once (see `requiresApproval`). */
  readonly grants = new ApprovalGrants()
  readonly #audited = new Set<string>()
  readonly #actions = new Map<string, string>()
  readonly #notifications = new Set<Promise<void>>()

  constructor(private readonly settings: ApprovalSettings = {}) {
    this.bypassRoles = settings.bypassRoles ?? []
  }

  get #env() {
    return this.settings.env ?? process.env
  }

  /** `APPROVAL_TIMEOUT`, read now (an operator may change it between calls). */
  timeoutSeconds(): number {
    return seconds(this.#env.APPROVAL_TIMEOUT, 300)
  }

  #pollIntervalMs(): number {
    return Math.max(10, seconds(this.#env.APPROVAL_POLL_INTERVAL, 5) * 1000)
  }

  /** Resolves when every channel notification started so far has finished (tests, shutdown). */
  async notificationsSettled(): Promise<void> {
    while (this.#notifications.size > 0) await Promise.all([...this.#notifications])
  }

  /** Creates a request and waits (within the budget) for its decision. */
  async request(ctx: ToolContext, ask: ApprovalAsk): Promise<ApprovalResult> {
    const audit = ctx.audit ?? noAudit
    const task = currentTask()
    let approvalId: string
    try {
      const created = await ctx.platform.requestApproval(
        {
          action: ask.action,
          reason: ask.reason,
          ...(task ? { taskId: task.taskId } : {}),
          context: { ...(task ? { context_id: task.contextId } : {}), ...ask.context },
        },
        { signal: ctx.signal },
      )
      approvalId = created.approval_id
    } catch (err) {
      const detail =
        isPlatformError(err) && err.status !== undefined ? String(err.status) : describeFailure(err)
      audit.log('approval', 'approve', ask.action, 'failure', { reason: 'submit_failed', error: detail })
      return failedResult(`Failed to create request: ${detail}`)
    }
    this.#actions.set(approvalId, ask.action)
    ask.onCreated?.(approvalId)
    audit.log('approval', 'approve', ask.action, 'requested', {
      approval_id: approvalId,
      reason_text: ask.reason,
    })
    this.#notify(ctx, approvalId, ask)
    return this.#await(ctx, approvalId, ask.action, this.timeoutSeconds(), true)
  }

  /** The decision on an earlier request, waiting up to `waitSeconds` (within the budget) if there is none yet. */
  async check(ctx: ToolContext, approvalId: string, waitSeconds: number): Promise<ApprovalResult> {
    let action = this.#actions.get(approvalId)
    try {
      const row = (await ctx.platform.listApprovals({ signal: ctx.signal })).find((r) => r.id === approvalId)
      if (!row) return failedResult(`approval ${approvalId} not found among this workspace's recent requests`)
      action ??= row.action ?? 'unknown'
      const decision = decisionFromRow(row)
      if (decision) return this.#settle(ctx, approvalId, action, decidedResult(approvalId, decision))
    } catch (err) {
      return failedResult(
        `Could not read approvals: ${describeFailure(err, ctx.platform.platformUrl)}`,
        approvalId,
      )
    }
    return this.#await(ctx, approvalId, action, waitSeconds, false)
  }

  async #await(
    ctx: ToolContext,
    approvalId: string,
    action: string,
    timeoutSeconds: number,
    fullTimeout: boolean,
  ): Promise<ApprovalResult> {
    const budget = this.settings.waitBudgetMs
    const timeoutMs = timeoutSeconds * 1000
    const waitMs = budget === undefined ? timeoutMs : Math.min(timeoutMs, budget)
    const decision = await waitForDecision(ctx.platform, approvalId, {
      timeoutMs: waitMs,
      pollIntervalMs: this.#pollIntervalMs(),
      signal: ctx.signal,
      logger: ctx.logger,
    })
    if (decision) return this.#settle(ctx, approvalId, action, decidedResult(approvalId, decision))
    if (!fullTimeout || waitMs < timeoutMs || ctx.signal.aborted) return pendingResult(approvalId)
    if (!this.#audited.has(`${approvalId}:timeout`)) {
      this.#audited.add(`${approvalId}:timeout`)
      ;(ctx.audit ?? noAudit).log('approval', 'approve', action, 'timeout', {
        approval_id: approvalId,
        timeout_seconds: timeoutSeconds,
      })
    }
    return timedOutResult(approvalId, timeoutSeconds)
  }

  #settle(ctx: ToolContext, approvalId: string, action: string, result: ApprovalResult): ApprovalResult {
    if (!this.#audited.has(approvalId)) {
      this.#audited.add(approvalId)
      const outcome = result.approved ? 'granted' : result.outcome === 'expired' ? 'timeout' : 'denied'
      ;(ctx.audit ?? noAudit).log('approval', 'approve', action, outcome, {
        actor: result.decided_by || ctx.workspaceId,
        approval_id: approvalId,
        decided_by: result.decided_by,
      })
    }
    return result
  }

  #notify(ctx: ToolContext, approvalId: string, ask: ApprovalAsk): void {
    const channels = this.settings.channels ?? [{ type: 'dashboard' as const }]
    if (!channels.some((c) => c.type !== 'dashboard')) return
    const sent = notifyChannels(
      channels,
      {
        approvalId,
        workspaceId: ctx.workspaceId,
        workspaceName: this.settings.workspaceName,
        platformUrl: ctx.platform.platformUrl,
        action: ask.action,
        reason: ask.reason,
      },
      { ...this.settings.channelOptions, logger: ctx.logger, smtpPassword: this.#env.SMTP_PASSWORD },
    ).finally(() => this.#notifications.delete(sent))
    this.#notifications.add(sent)
  }
}
