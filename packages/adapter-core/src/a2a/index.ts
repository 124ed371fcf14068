// `@molecule/adapter-core/a2a`: the A2A wire types (v0.3, and v1.0 where it differs), their zod schemas, the lenient
// message reader, and the converters between the two protocol revisions.

export { MessageShapeError, normalizeMessage } from '../messages.js'
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
} from './convert.js'
export {
  agentCardSchema,
  agentSkillSchema,
  pushNotificationConfigSchema,
  taskPushNotificationConfigSchema,
  taskPushNotificationConfigV1Schema,
} from './schemas.js'
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
} from './v03.js'
export { INTERRUPTED_STATES, isTerminalState, TERMINAL_STATES } from './v03.js'
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
} from './v10.js'
