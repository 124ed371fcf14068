import { type AuditSink, noAudit } from '../audit/audit-log.js'
import type { ToolCallGate } from '../task-scope.js'
import { ExcessiveAgencyError } from './compliance-errors.js'

/** The default clock; one function for every tracker (a default arrow would be a new closure per task). */
function monotonicMs(): number {
  return performance.now()
}

export interface AgencyLimits {
  /** `compliance.max_tool_calls_per_task` (default 50). */
  maxToolCalls: number
  /** `compliance.max_task_duration_seconds` (default 300), in ms. */
  maxDurationMs: number
}

/**
 * OWASP Agentic OA-03 for one task: counts its tool calls and measures its age on a monotonic clock. The call that
 * goes past either limit is refused (and every later one), each refusal audited.
 */
export class AgencyTracker implements ToolCallGate {
  #calls = 0
  readonly #started: number

  constructor(
    private readonly limits: AgencyLimits,
    private readonly taskId: string,
    private readonly audit: AuditSink = noAudit,
    private readonly clock: () => number = monotonicMs,
  ) {
    this.#started = clock()
  }

  get toolCalls(): number {
    return this.#calls
  }

  /** Counts the call; throws `ExcessiveAgencyError` when the task is past a limit. */
  onToolCall(toolName: string): void {
    this.#calls++
    const { maxToolCalls, maxDurationMs } = this.limits
    if (this.#calls > maxToolCalls) {
      this.audit.log('compliance', 'excessive_agency.tool_limit', toolName, 'blocked', {
        task_id: this.taskId,
        tool_calls: this.#calls,
        max_tool_calls_per_task: maxToolCalls,
      })
      throw new ExcessiveAgencyError(
        'EXCESSIVE_AGENCY_TOOL_LIMIT',
        `Excessive agency: tool call ${this.#calls} of this task exceeds compliance.max_tool_calls_per_task (${maxToolCalls}); '${toolName}' was not run`,
        { path: 'compliance.max_tool_calls_per_task', fix: 'Finish the task with what you have.' },
      )
    }
    const elapsed = this.clock() - this.#started
    if (elapsed > maxDurationMs) {
      this.audit.log('compliance', 'excessive_agency.duration_limit', toolName, 'blocked', {
        task_id: this.taskId,
        elapsed_seconds: Math.round(elapsed / 1000),
        max_task_duration_seconds: Math.round(maxDurationMs / 1000),
      })
      throw new ExcessiveAgencyError(
        'EXCESSIVE_AGENCY_DURATION_LIMIT',
        `Excessive agency: this task has run ${Math.round(elapsed / 1000)} s, past compliance.max_task_duration_seconds (${Math.round(maxDurationMs / 1000)}); '${toolName}' was not run`,
        { path: 'compliance.max_task_duration_seconds', fix: 'Finish the task with what you have.' },
      )
    }
  }

  beforeToolCall(toolName: string): string | undefined {
    try {
      this.onToolCall(toolName)
      return undefined
    } catch (err) {
      return `Error: ${(err as Error).message}`
    }
  }
}
