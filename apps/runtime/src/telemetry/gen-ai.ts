/**
 * Attribute names of the OpenTelemetry GenAI semantic conventions (development status) and the workspace's own,
 * spelled out here rather than taken from `@opentelemetry/semantic-conventions/incubating`, whose names may move.
 */
export const ATTR = {
  operationName: 'gen_ai.operation.name',
  agentName: 'gen_ai.agent.name',
  agentId: 'gen_ai.agent.id',
  conversationId: 'gen_ai.conversation.id',
  toolName: 'gen_ai.tool.name',
  toolType: 'gen_ai.tool.type',
  errorType: 'error.type',
  workspaceId: 'workspace.id',
  taskId: 'a2a.task_id',
  targetWorkspaceId: 'a2a.target_workspace_id',
  httpMethod: 'http.request.method',
  httpStatus: 'http.response.status_code',
  urlPath: 'url.path',
} as const

/** The tracer every span of the runtime comes from. */
export const TRACER_NAME = 'molecule.workspace'
