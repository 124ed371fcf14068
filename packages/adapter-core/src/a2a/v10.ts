/**
 * A2A v1.0 JSON shapes (proto3 JSON of `specification/a2a.proto` at v1.0.1): PascalCase methods,
 * SCREAMING_SNAKE enums, no `kind` discriminator, results wrapped by field name.
 */

export type RoleV1 = 'ROLE_UNSPECIFIED' | 'ROLE_USER' | 'ROLE_AGENT'

export type TaskStateV1 =
  | 'TASK_STATE_UNSPECIFIED'
  | 'TASK_STATE_SUBMITTED'
  | 'TASK_STATE_WORKING'
  | 'TASK_STATE_COMPLETED'
  | 'TASK_STATE_FAILED'
  | 'TASK_STATE_CANCELED'
  | 'TASK_STATE_INPUT_REQUIRED'
  | 'TASK_STATE_REJECTED'
  | 'TASK_STATE_AUTH_REQUIRED'

type Meta = Record<string, unknown>

/** Exactly one of `text`, `raw` (base64), `url`, `data` is set. */
export interface PartV1 {
  text?: string
  raw?: string
  url?: string
  data?: unknown
  filename?: string
  mediaType?: string
  metadata?: Meta
}

export interface MessageV1 {
  messageId: string
  role: RoleV1
  parts: PartV1[]
  contextId?: string
  taskId?: string
  metadata?: Meta
  extensions?: string[]
  referenceTaskIds?: string[]
}

export interface TaskStatusV1 {
  state: TaskStateV1
  message?: MessageV1
  timestamp?: string
}

export interface ArtifactV1 {
  artifactId: string
  parts: PartV1[]
  name?: string
  description?: string
  metadata?: Meta
  extensions?: string[]
}

export interface TaskV1 {
  id: string
  contextId: string
  status: TaskStatusV1
  artifacts?: ArtifactV1[]
  history?: MessageV1[]
  metadata?: Meta
}

export interface TaskStatusUpdateEventV1 {
  taskId: string
  contextId: string
  status: TaskStatusV1
  metadata?: Meta
}

export interface TaskArtifactUpdateEventV1 {
  taskId: string
  contextId: string
  artifact: ArtifactV1
  append?: boolean
  lastChunk?: boolean
  metadata?: Meta
}

export type SendMessageResponseV1 = { task: TaskV1 } | { message: MessageV1 }

export type StreamResponseV1 =
  | { task: TaskV1 }
  | { message: MessageV1 }
  | { statusUpdate: TaskStatusUpdateEventV1 }
  | { artifactUpdate: TaskArtifactUpdateEventV1 }

export interface AuthenticationInfoV1 {
  scheme: string
  credentials?: string
}

export interface TaskPushNotificationConfigV1 {
  id: string
  taskId: string
  url: string
  token?: string
  authentication?: AuthenticationInfoV1
  tenant?: string
}

export interface AgentInterfaceV1 {
  url: string
  protocolBinding: 'JSONRPC' | 'HTTP+JSON' | 'GRPC' | string
  protocolVersion: string
  tenant?: string
}
