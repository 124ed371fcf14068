export {
  fromV1Artifact,
  fromV1Message,
  fromV1PushConfig,
  fromV1State,
  fromV1Task,
  toV1Artifact,
  toV1Message,
  toV1Part,
  toV1PushConfig,
  toV1State,
  toV1Status,
  toV1StreamEvent,
  toV1Task,
} from './a2a/convert.js'
export {
  agentCardSchema,
  agentSkillSchema,
  pushNotificationConfigSchema,
  taskPushNotificationConfigSchema,
  taskPushNotificationConfigV1Schema,
} from './a2a/schemas.js'
export type {
  AgentCapabilities,
  AgentCard,
  AgentInterface,
  AgentSkill,
  Artifact,
  DataPart,
  FilePart,
  FileWithBytes,
  FileWithUri,
  Message,
  Metadata,
  Part,
  PushNotificationAuthenticationInfo,
  PushNotificationConfig,
  Role,
  StreamEvent,
  Task,
  TaskArtifactUpdateEvent,
  TaskPushNotificationConfig,
  TaskState,
  TaskStatus,
  TaskStatusUpdateEvent,
  TextPart,
} from './a2a/v03.js'
export { INTERRUPTED_STATES, isTerminalState, TERMINAL_STATES } from './a2a/v03.js'
export type {
  AgentInterfaceV1,
  ArtifactV1,
  AuthenticationInfoV1,
  MessageV1,
  PartV1,
  RoleV1,
  SendMessageResponseV1,
  StreamResponseV1,
  TaskArtifactUpdateEventV1,
  TaskPushNotificationConfigV1,
  TaskStateV1,
  TaskStatusUpdateEventV1,
  TaskStatusV1,
  TaskV1,
} from './a2a/v10.js'
export type {
  Adapter,
  AdapterConfig,
  ChildWorkspace,
  HeartbeatHandle,
  MemoryHandle,
  PluginInstallResult,
  PluginRef,
  RuntimeCapabilities,
  RuntimeCapabilitiesWire,
  SetupResult,
  SkillSummary,
  TranscriptPage,
} from './adapter.js'
export {
  capabilitiesToWire,
  DEFAULT_MEMORY_FILENAME,
  defineAdapter,
  runtimeCapabilities,
  unsupportedTranscript,
} from './adapter.js'
export type { AttachedFile } from './attachments.js'
export { attachedFiles, attachmentManifest, resolveAttachmentUri } from './attachments.js'
export { readDelegationResults } from './delegation-results.js'
export type {
  BuiltinAdapter,
  LoadAdapterOptions,
  LoadedAdapter,
} from './discovery.js'
export { checkAdapterForPreflight, loadAdapter, toAdapter } from './discovery.js'
export type { AdapterLoadErrorCode } from './errors.js'
export { AdapterLoadError } from './errors.js'
export type {
  ArtifactChunk,
  ExecuteFn,
  ExecuteOutput,
  Executor,
  ExecutorLogger,
  RequestContext,
  TaskEvent,
  TaskEventSink,
  TaskEvents,
  TaskOutcome,
} from './executor.js'
export { defineExecutor, replyMessage, runExecutor, sanitizedAgentError } from './executor.js'
export type { SubprocessErrorCategory } from './executor-helpers.js'
export { briefSummary, classifySubprocessError } from './executor-helpers.js'
export { uuidV4 } from './ids.js'
export type { TextMessageOptions } from './messages.js'
export { extractText, MessageShapeError, normalizeMessage, textMessage } from './messages.js'
export type { PromptFile, PromptPeer, SystemPromptParts } from './prompt.js'
export { buildSystemPrompt, readPromptFiles, renderPeerSection, renderTeamSection } from './prompt.js'
