import type { Logger } from '@molecule/core'
import {
  ApprovalService,
  CompliancePolicy,
  type CompliancePosture,
  hitlTools,
  JsonlAuditLog,
  type Tool,
} from '@molecule/tools'
import { bootFailure } from '../boot/boot-failure.js'
import type { ResolvedSettings } from '../boot/resolve-settings.js'
import { ToolUptake } from './tool-uptake.js'

/** Where the JSONL audit log goes when `AUDIT_LOG_PATH` is unset. */
export const DEFAULT_AUDIT_LOG_PATH = '/var/log/molecule/audit.jsonl'

/** The ledger events the runtime writes (see @molecule/audit-ledger's `LedgerHooks`). */
export interface LedgerRecorder {
  onTaskStart(sessionId: string, inputText: string): void
  onToolCall(sessionId: string, toolName: string, input: unknown, output: unknown): void
  onTaskEnd(sessionId: string, outputText: unknown): void
  flush(): Promise<void>
}

/** The governance pieces of one workspace: audit log, compliance, approvals and (when configured) the ledger. */
export interface Governance {
  audit: JsonlAuditLog
  compliance: CompliancePolicy
  approvals: ApprovalService
  /** `pause_task`, `resume_task`, `list_paused_tasks`. */
  hitlTools: Tool[]
  /** Present when `AUDIT_LEDGER_SALT` is set. */
  ledger?: LedgerRecorder | undefined
  /** Whether the adapter took its tools: until then tasks run without a task scope (see ToolUptake). */
  toolUptake: ToolUptake
  /** What the runtime's `/health` reports under `compliance`. */
  posture(): CompliancePosture & { audit_ledger: boolean }
  /** Signs the ledger's final checkpoints and waits for the audit log; after the tasks drained. */
  close(): Promise<void>
}

/**
 * Builds the governance of this workspace from config.yaml (`compliance`, `hitl`, `rbac`, `security_scan`) and the
 * environment (`AUDIT_LOG_PATH`, `AUDIT_LEDGER_SALT`, `AUDIT_LEDGER_DB`, `AUDIT_LEDGER_SIGNING_KEY`,
 * `APPROVAL_TIMEOUT`, `APPROVAL_POLL_INTERVAL`, `SMTP_PASSWORD`). The ledger package (and its database drivers) is
 * loaded only when the ledger is on. A ledger that cannot be opened stops the boot: the operator asked for it.
 */
export async function openGovernance(resolved: ResolvedSettings): Promise<Governance> {
  const { env, config, workspaceId, log } = resolved
  const logger: Logger = log.child({ component: 'governance' })
  const audit = new JsonlAuditLog({
    path: env.AUDIT_LOG_PATH?.trim() || DEFAULT_AUDIT_LOG_PATH,
    workspaceId,
    logger,
  })
  const compliance = new CompliancePolicy({
    config: config.compliance,
    securityScanMode: config.security_scan.mode,
    rbacRoles: config.rbac.roles,
    audit,
    logger,
  })
  const approvals = new ApprovalService({
    env,
    channels: config.hitl.channels,
    bypassRoles: config.hitl.bypass_roles,
    workspaceName: config.name,
  })
  let ledger: LedgerRecorder | undefined
  let closeLedger = async () => {}
  if (env.AUDIT_LEDGER_SALT) {
    try {
      const { ledgerFromEnv, LedgerHooks } = await import('@molecule/audit-ledger')
      const opened = await ledgerFromEnv(env, { logger, cwd: resolved.configDir })
      if (opened) {
        const hooks = new LedgerHooks(opened, workspaceId, logger)
        ledger = hooks
        closeLedger = async () => {
          await hooks.flush()
          await opened.close()
        }
        logger.info({ store: opened.store.kind }, 'audit ledger on')
      }
    } catch (err) {
      throw bootFailure(err, 'AUDIT_LEDGER_UNAVAILABLE', (detail) => `Audit ledger: ${detail}`)
    }
  }
  return {
    audit,
    compliance,
    approvals,
    hitlTools: hitlTools({ defaultTimeoutSeconds: config.hitl.default_timeout }),
    ledger,
    toolUptake: new ToolUptake(() =>
      logger.warn(
        'the adapter read setup.tools for the first time inside a running task, after an await: tool calls of the tasks running then are not counted against their agency limits. Read the tools in setup() or createExecutor().',
      ),
    ),
    posture: () => ({ ...compliance.posture(), audit_ledger: ledger !== undefined }),
    async close() {
      await closeLedger().catch((err: unknown) =>
        logger.warn({ err: (err as Error).message }, 'audit ledger did not close cleanly'),
      )
      await approvals.notificationsSettled()
      await audit.flush()
    },
  }
}
