export { type A2AOutcome, classifyA2AReply, resultText } from './a2a-reply.js'
export { type ActingWorkspace, resolveActing } from './acting-workspace.js'
export { idempotencyKey } from './delegation-tools.js'
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
