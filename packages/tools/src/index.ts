export { type A2AOutcome, classifyA2AReply, resultText } from './a2a-reply.js'
export { type ActingWorkspace, resolveActing } from './acting-workspace.js'
export type { ApprovalOutcome, ApprovalResult } from './approvals/approval-result.js'
export { type ApprovalAsk, ApprovalService, type ApprovalSettings } from './approvals/approval-service.js'
export { approvalTools } from './approvals/approval-tools.js'
export { callFingerprint, sortedJson } from './approvals/call-fingerprint.js'
export { type ApprovalNotice, decideUrl, emailText, slackMessage } from './approvals/channels.js'
export { type RequiresApprovalOptions, requiresApproval } from './approvals/requires-approval.js'
export { type MailMessage, SmtpError, sendMail } from './approvals/smtp-client.js'
export {
  type AuditExtra,
  type AuditSink,
  JsonlAuditLog,
  type JsonlAuditLogOptions,
  noAudit,
} from './audit/audit-log.js'
export { type AgencyLimits, AgencyTracker } from './compliance/agency-tracker.js'
export { ExcessiveAgencyError, PromptInjectionError } from './compliance/compliance-errors.js'
export {
  CompliancePolicy,
  type CompliancePolicyOptions,
  type CompliancePosture,
} from './compliance/compliance-policy.js'
export { type PiiType, redactPii } from './compliance/pii.js'
export {
  detectPromptInjection,
  type InjectionCategory,
  type InjectionHit,
} from './compliance/prompt-injection.js'
export { idempotencyKey } from './delegation-tools.js'
export { type HitlToolsOptions, hitlTools } from './hitl/hitl-tools.js'
export { PauseRegistry } from './hitl/pause-registry.js'
export { CONVERSATION_NAMESPACE_PREFIX } from './memory-tools.js'
export { guessMimeType, MAX_ATTACHMENT_BYTES } from './messaging-tools.js'
export { escapePeerMarkers, PEER_RESULT_CLOSE, PEER_RESULT_OPEN, wrapPeerResult } from './peer-result.js'
export { createPlatformTools, type PlatformToolsOptions, withPermission } from './platform-tools.js'
export {
  BUILTIN_ROLES,
  checkPermission,
  DEFAULT_ROLES,
  permissionDeniedText,
  type RbacAction,
  TOOL_PERMISSIONS,
} from './rbac.js'
export { redactSecrets } from './redact.js'
export {
  defineTool,
  describeInputIssues,
  inputJsonSchema,
  type NormalisedResult,
  normaliseResult,
  type PeerRoute,
  type RuntimeIdentity,
  type Tool,
  type ToolContext,
  ToolRegistry,
  type ToolResult,
  type WorkspaceDirectory,
} from './registry.js'
export { runCodeTool, SANDBOX_OUTPUT_MARKER } from './run-code-tool.js'
export { currentTask, enterTask, runInTask, type TaskScope, type ToolCallGate } from './task-scope.js'
