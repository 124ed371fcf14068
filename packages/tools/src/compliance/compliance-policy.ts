import type { ComplianceConfig } from '@molecule/config'
import { type Logger, silentLogger } from '@molecule/core'
import { type AuditSink, noAudit } from '../audit/audit-log.js'
import { type AgencyLimits, AgencyTracker } from './agency-tracker.js'
import { PromptInjectionError } from './compliance-errors.js'
import { redactPii } from './pii.js'
import { detectPromptInjection } from './prompt-injection.js'

/** What `posture()` reports (served on the runtime's `/health` as `compliance`). */
export interface CompliancePosture {
  compliance_mode: string
  enabled: boolean
  prompt_injection: 'detect' | 'block'
  max_tool_calls_per_task: number
  max_task_duration_seconds: number
  pii_redaction_enabled: boolean
  security_scan_mode: string
  rbac_roles: string[]
}

export interface CompliancePolicyOptions {
  /** config.yaml `compliance` (mode `owasp_agentic` by default; `""` turns every check off). */
  config: ComplianceConfig
  /** config.yaml `security_scan.mode`, reported in the posture. */
  securityScanMode?: string
  /** config.yaml `rbac.roles`, reported in the posture. */
  rbacRoles?: readonly string[]
  audit?: AuditSink
  logger?: Logger
}

/**
 * OWASP Top 10 for Agentic Applications, as far as a workspace runtime can enforce it: prompt-injection screening of
 * inbound text (OA-01), redaction of personal data and credentials in the final reply (OA-02/06), and agency limits
 * per task (OA-03). Every decision is written to the audit log.
 */
export class CompliancePolicy {
  readonly #config: ComplianceConfig
  readonly #audit: AuditSink
  readonly #logger: Logger
  /** Made on the first task: the config never changes. */
  #limits: AgencyLimits | undefined

  constructor(private readonly options: CompliancePolicyOptions) {
    this.#config = options.config
    this.#audit = options.audit ?? noAudit
    this.#logger = options.logger ?? silentLogger
  }

  get enabled(): boolean {
    return this.#config.mode === 'owasp_agentic'
  }

  /**
   * OA-01 on one inbound text. Clean text passes silently. A hit is audited with its categories and at most five
   * snippets (never the whole text); in `detect` mode the text passes with a warning, in `block` mode this throws
   * a `PromptInjectionError` whose message the runtime answers as `Request blocked: <message>`.
   */
  screenInput(text: string, contextId?: string): void {
    if (!this.enabled) return
    const hits = detectPromptInjection(text)
    if (hits.length === 0) return
    const categories = [...new Set(hits.map((h) => h.category))]
    const block = this.#config.prompt_injection === 'block'
    this.#audit.log('compliance', 'prompt_injection.detect', 'user_input', block ? 'blocked' : 'detected', {
      categories,
      match_count: hits.length,
      matches: hits.slice(0, 5),
      ...(contextId ? { context_id: contextId } : {}),
    })
    if (!block) {
      this.#logger.warn({ categories, matches: hits.length }, 'possible prompt injection in inbound text')
      return
    }
    throw new PromptInjectionError(
      'PROMPT_INJECTION_BLOCKED',
      `Prompt injection detected (${categories.join(', ')}); the workspace's compliance policy blocked this request`,
      { path: 'compliance.prompt_injection', details: { categories } },
    )
  }

  /** OA-02/06 on the final reply: personal data and credentials replaced, and audited when anything was. */
  redactOutput(text: string, contextId?: string): string {
    if (!this.enabled) return text
    const { text: redacted, types } = redactPii(text)
    if (types.length > 0) {
      this.#audit.log('compliance', 'pii.redact', 'task_output', 'redacted', {
        pii_types: types,
        ...(contextId ? { context_id: contextId } : {}),
      })
    }
    return redacted
  }

  /** OA-03: the agency tracker of a new task, or undefined when compliance is off. */
  agencyFor(taskId: string): AgencyTracker | undefined {
    if (!this.enabled) return undefined
    this.#limits ??= {
      maxToolCalls: this.#config.max_tool_calls_per_task,
      maxDurationMs: this.#config.max_task_duration_seconds * 1000,
    }
    return new AgencyTracker(this.#limits, taskId, this.#audit)
  }

  posture(): CompliancePosture {
    return {
      compliance_mode: this.#config.mode,
      enabled: this.enabled,
      prompt_injection: this.#config.prompt_injection,
      max_tool_calls_per_task: this.#config.max_tool_calls_per_task,
      max_task_duration_seconds: this.#config.max_task_duration_seconds,
      pii_redaction_enabled: this.enabled,
      security_scan_mode: this.options.securityScanMode ?? 'warn',
      rbac_roles: [...(this.options.rbacRoles ?? [])],
    }
  }
}
