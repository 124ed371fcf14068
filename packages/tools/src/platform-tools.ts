import { ApprovalService } from './approvals/approval-service.js'
import { approvalTools } from './approvals/approval-tools.js'
import { withAudit } from './audit/audited-tools.js'
import { type DelegationOptions, delegationTools } from './delegation-tools.js'
import { memoryTools } from './memory-tools.js'
import { messagingTools } from './messaging-tools.js'
import { checkPermission, DEFAULT_ROLES, permissionDeniedText, TOOL_PERMISSIONS } from './rbac.js'
import type { Tool } from './registry.js'
import { type IdentitySource, workspaceTools } from './workspace-tools.js'

export interface PlatformToolsOptions extends Partial<DelegationOptions> {
  /**
   * Environment read by `get_runtime_identity`: the process's resolved `RuntimeEnv` of `@molecule/config`, or raw
   * variables (resolved through `loadEnv` on first use). Default: `loadEnv(process.env)` on first use.
   */
  env?: IdentitySource
  /**
   * Serves `request_approval` and `check_approval` (and the `requiresApproval` gates built on the same instance).
   * Default: a service with the default settings.
   */
  approvals?: ApprovalService
}

/** Wraps a tool so its RBAC action is checked before it runs; a refusal is audited (`rbac / rbac.deny`). */
export function withPermission(tool: Tool): Tool {
  const action = TOOL_PERMISSIONS[tool.name]
  if (!action) return tool
  return {
    ...tool,
    async run(ctx, input) {
      const roles = ctx.roles ?? DEFAULT_ROLES
      if (!checkPermission(action, roles, ctx.customRoles)) {
        ctx.audit?.log('rbac', 'rbac.deny', tool.name, 'denied', {
          attempted_action: action,
          roles: [...roles],
        })
        return { text: permissionDeniedText(action, roles), isError: true }
      }
      return tool.run(ctx, input)
    },
  }
}

/**
 * The platform tools both the container runtime and the MCP bridge expose, in `tools/list` order, each gated
 * by its RBAC action and audited (see `withAudit`).
 */
export function createPlatformTools(options: PlatformToolsOptions = {}): Tool[] {
  const delegation: DelegationOptions = {
    syncViaDelegations: options.syncViaDelegations ?? false,
    delegationTimeoutMs: options.delegationTimeoutMs ?? 300_000,
    delegationPollIntervalMs: options.delegationPollIntervalMs ?? 3_000,
    a2aTimeoutMs: options.a2aTimeoutMs ?? 300_000,
    a2aAttempts: options.a2aAttempts ?? 5,
    a2aBackoffMs: options.a2aBackoffMs ?? 1_000,
  }
  const [delegateTask, delegateTaskAsync, checkTaskStatus] = delegationTools(delegation)
  const [listPeers, getWorkspaceInfo, getRuntimeIdentity, updateAgentCard] = workspaceTools(options.env)
  const [broadcastMessage, sendMessageToUser, chatHistory] = messagingTools()
  const [commitMemory, recallMemory] = memoryTools()
  const [requestApproval, checkApproval] = approvalTools(options.approvals ?? new ApprovalService())
  return [
    delegateTask,
    delegateTaskAsync,
    checkTaskStatus,
    listPeers,
    getWorkspaceInfo,
    getRuntimeIdentity,
    updateAgentCard,
    broadcastMessage,
    sendMessageToUser,
    chatHistory,
    commitMemory,
    recallMemory,
    requestApproval,
    checkApproval,
  ].map((tool) => withPermission(withAudit(tool as Tool)))
}
