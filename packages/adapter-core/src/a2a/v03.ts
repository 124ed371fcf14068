/**
 * A2A v0.3 wire shapes — the version the Molecule platform speaks. These mirror
 * `specification/json/a2a.json` at tag v0.3.0; what the server emits must validate against it.
 */

export type Role = 'user' | 'agent'

export type TaskState =
  | 'submitted'
  | 'working'
  | 'input-required'
  | 'completed'
  | 'canceled'
  | 'failed'
  | 'rejected'
  | 'auth-required'
  | 'unknown'

export type Metadata = Record<string, unknown>

export interface TextPart {
  kind: 'text'
  text: string
  metadata?: Metadata
}

export interface FileWithUri {
  uri: string
  name?: string
  mimeType?: string
}

export interface FileWithBytes {
  bytes: string
  name?: string
  mimeType?: string
}

export interface FilePart {
  kind: 'file'
  file: FileWithUri | FileWithBytes
  metadata?: Metadata
}

export interface DataPart {
  kind: 'data'
  data: Record<string, unknown>
  metadata?: Metadata
}

export type Part = TextPart | FilePart | DataPart

export interface Message {
  kind: 'message'
  messageId: string
  role: Role
  parts: Part[]
  contextId?: string
  taskId?: string
  referenceTaskIds?: string[]
  extensions?: string[]
  metadata?: Metadata
}

export interface TaskStatus {
  state: TaskState
  message?: Message
  /** ISO 8601 */
  timestamp?: string
}

export interface Artifact {
  artifactId: string
  parts: Part[]
  name?: string
  description?: string
  extensions?: string[]
  metadata?: Metadata
}

export interface Task {
  kind: 'task'
  id: string
  contextId: string
  status: TaskStatus
  artifacts?: Artifact[]
  history?: Message[]
  metadata?: Metadata
}

export interface TaskStatusUpdateEvent {
  kind: 'status-update'
  taskId: string
  contextId: string
  status: TaskStatus
  final: boolean
  metadata?: Metadata
}

export interface TaskArtifactUpdateEvent {
  kind: 'artifact-update'
  taskId: string
  contextId: string
  artifact: Artifact
  append?: boolean
  lastChunk?: boolean
  metadata?: Metadata
}

/** Anything a v0.3 stream (`message/stream`, `tasks/resubscribe`) carries as a `result`. */
export type StreamEvent = Task | Message | TaskStatusUpdateEvent | TaskArtifactUpdateEvent

export interface PushNotificationAuthenticationInfo {
  schemes: string[]
  credentials?: string
}

export interface PushNotificationConfig {
  url: string
  id?: string
  token?: string
  authentication?: PushNotificationAuthenticationInfo
}

export interface TaskPushNotificationConfig {
  taskId: string
  pushNotificationConfig: PushNotificationConfig
}

export interface AgentSkill {
  id: string
  name: string
  description: string
  tags: string[]
  examples?: string[]
  inputModes?: string[]
  outputModes?: string[]
}

export interface AgentCapabilities {
  streaming?: boolean
  pushNotifications?: boolean
  stateTransitionHistory?: boolean
  extensions?: { uri: string; description?: string; required?: boolean; params?: Metadata }[]
}

export interface AgentInterface {
  url: string
  transport: string
}

export interface AgentCard {
  name: string
  description: string
  version: string
  url: string
  protocolVersion?: string
  preferredTransport?: string
  additionalInterfaces?: AgentInterface[]
  capabilities: AgentCapabilities
  defaultInputModes: string[]
  defaultOutputModes: string[]
  skills: AgentSkill[]
  provider?: { organization: string; url: string }
  documentationUrl?: string
  iconUrl?: string
  supportsAuthenticatedExtendedCard?: boolean
  securitySchemes?: Record<string, unknown>
  security?: Record<string, string[]>[]
  [extra: string]: unknown
}

export const TERMINAL_STATES: ReadonlySet<TaskState> = new Set([
  'completed',
  'canceled',
  'failed',
  'rejected',
])

/** States in which the task waits for the client; a new message on the task resumes it. */
export const INTERRUPTED_STATES: ReadonlySet<TaskState> = new Set(['input-required', 'auth-required'])

export function isTerminalState(state: TaskState): boolean {
  return TERMINAL_STATES.has(state)
}
