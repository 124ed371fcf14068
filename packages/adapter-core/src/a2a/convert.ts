import { normalizeMessage } from '../messages.js'
import type {
  Artifact,
  Message,
  Part,
  PushNotificationConfig,
  StreamEvent,
  Task,
  TaskPushNotificationConfig,
  TaskState,
  TaskStatus,
} from './v03.js'
import type {
  ArtifactV1,
  MessageV1,
  PartV1,
  StreamResponseV1,
  TaskPushNotificationConfigV1,
  TaskStateV1,
  TaskStatusV1,
  TaskV1,
} from './v10.js'

const STATE_TO_V1: Record<TaskState, TaskStateV1> = {
  submitted: 'TASK_STATE_SUBMITTED',
  working: 'TASK_STATE_WORKING',
  'input-required': 'TASK_STATE_INPUT_REQUIRED',
  completed: 'TASK_STATE_COMPLETED',
  canceled: 'TASK_STATE_CANCELED',
  failed: 'TASK_STATE_FAILED',
  rejected: 'TASK_STATE_REJECTED',
  'auth-required': 'TASK_STATE_AUTH_REQUIRED',
  unknown: 'TASK_STATE_UNSPECIFIED',
}

const STATE_FROM_V1: Record<string, TaskState> = Object.fromEntries(
  Object.entries(STATE_TO_V1).map(([v03, v1]) => [v1, v03 as TaskState]),
)

export function toV1State(state: TaskState): TaskStateV1 {
  return STATE_TO_V1[state]
}

/** Accepts either spelling; anything unrecognised is `unknown`. */
export function fromV1State(state: string): TaskState {
  return STATE_FROM_V1[state] ?? (state in STATE_TO_V1 ? (state as TaskState) : 'unknown')
}

export function toV1Part(part: Part): PartV1 {
  let out: PartV1
  if (part.kind === 'text') out = { text: part.text }
  else if (part.kind === 'data') out = { data: part.data }
  else {
    const f = part.file
    out = 'uri' in f ? { url: f.uri } : { raw: f.bytes }
    if (f.name !== undefined) out.filename = f.name
    if (f.mimeType !== undefined) out.mediaType = f.mimeType
  }
  if (part.metadata !== undefined) out.metadata = part.metadata
  return out
}

export function toV1Message(message: Message): MessageV1 {
  const out: MessageV1 = {
    messageId: message.messageId,
    role: message.role === 'agent' ? 'ROLE_AGENT' : 'ROLE_USER',
    parts: message.parts.map(toV1Part),
  }
  if (message.contextId !== undefined) out.contextId = message.contextId
  if (message.taskId !== undefined) out.taskId = message.taskId
  if (message.metadata !== undefined) out.metadata = message.metadata
  if (message.extensions?.length) out.extensions = message.extensions
  if (message.referenceTaskIds?.length) out.referenceTaskIds = message.referenceTaskIds
  return out
}

export function toV1Status(status: TaskStatus): TaskStatusV1 {
  const out: TaskStatusV1 = { state: toV1State(status.state) }
  if (status.message !== undefined) out.message = toV1Message(status.message)
  if (status.timestamp !== undefined) out.timestamp = status.timestamp
  return out
}

export function toV1Artifact(artifact: Artifact): ArtifactV1 {
  const out: ArtifactV1 = { artifactId: artifact.artifactId, parts: artifact.parts.map(toV1Part) }
  if (artifact.name !== undefined) out.name = artifact.name
  if (artifact.description !== undefined) out.description = artifact.description
  if (artifact.metadata !== undefined) out.metadata = artifact.metadata
  if (artifact.extensions?.length) out.extensions = artifact.extensions
  return out
}

export function toV1Task(task: Task): TaskV1 {
  const out: TaskV1 = { id: task.id, contextId: task.contextId, status: toV1Status(task.status) }
  if (task.artifacts?.length) out.artifacts = task.artifacts.map(toV1Artifact)
  if (task.history?.length) out.history = task.history.map(toV1Message)
  if (task.metadata !== undefined) out.metadata = task.metadata
  return out
}

/** v0.3 stream event → v1.0 `StreamResponse` (v1.0 dropped `final`; the stream simply ends). */
export function toV1StreamEvent(event: StreamEvent): StreamResponseV1 {
  switch (event.kind) {
    case 'task':
      return { task: toV1Task(event) }
    case 'message':
      return { message: toV1Message(event) }
    case 'status-update': {
      const statusUpdate = {
        taskId: event.taskId,
        contextId: event.contextId,
        status: toV1Status(event.status),
      }
      return event.metadata === undefined
        ? { statusUpdate }
        : { statusUpdate: { ...statusUpdate, metadata: event.metadata } }
    }
    case 'artifact-update': {
      const artifactUpdate: Extract<StreamResponseV1, { artifactUpdate: unknown }>['artifactUpdate'] = {
        taskId: event.taskId,
        contextId: event.contextId,
        artifact: toV1Artifact(event.artifact),
      }
      if (event.append !== undefined) artifactUpdate.append = event.append
      if (event.lastChunk !== undefined) artifactUpdate.lastChunk = event.lastChunk
      if (event.metadata !== undefined) artifactUpdate.metadata = event.metadata
      return { artifactUpdate }
    }
  }
}

export function toV1PushConfig(config: TaskPushNotificationConfig): TaskPushNotificationConfigV1 {
  const p = config.pushNotificationConfig
  const out: TaskPushNotificationConfigV1 = { id: p.id ?? '', taskId: config.taskId, url: p.url }
  if (p.token !== undefined) out.token = p.token
  const scheme = p.authentication?.schemes[0]
  if (scheme !== undefined) {
    out.authentication = { scheme }
    if (p.authentication?.credentials !== undefined)
      out.authentication.credentials = p.authentication.credentials
  }
  return out
}

export function fromV1PushConfig(config: TaskPushNotificationConfigV1): TaskPushNotificationConfig {
  const push: PushNotificationConfig = { url: config.url }
  if (config.id) push.id = config.id
  if (config.token) push.token = config.token
  if (config.authentication?.scheme) {
    push.authentication = { schemes: [config.authentication.scheme] }
    if (config.authentication.credentials) push.authentication.credentials = config.authentication.credentials
  }
  return { taskId: config.taskId, pushNotificationConfig: push }
}

/** v1.0 message → v0.3 (lenient: accepts any part tagging, generates a missing messageId). */
export function fromV1Message(message: MessageV1): Message {
  return normalizeMessage(message)
}

export function fromV1Artifact(artifact: ArtifactV1): Artifact {
  const { parts } = normalizeMessage({ parts: artifact.parts })
  const out: Artifact = { artifactId: artifact.artifactId, parts }
  if (artifact.name) out.name = artifact.name
  if (artifact.description) out.description = artifact.description
  if (artifact.metadata !== undefined) out.metadata = artifact.metadata
  if (artifact.extensions?.length) out.extensions = artifact.extensions
  return out
}

export function fromV1Task(task: TaskV1): Task {
  const status: TaskStatus = { state: fromV1State(task.status.state) }
  if (task.status.message !== undefined) status.message = fromV1Message(task.status.message)
  if (task.status.timestamp !== undefined) status.timestamp = task.status.timestamp
  const out: Task = { kind: 'task', id: task.id, contextId: task.contextId, status }
  if (task.artifacts?.length) out.artifacts = task.artifacts.map(fromV1Artifact)
  if (task.history?.length) out.history = task.history.map(fromV1Message)
  if (task.metadata !== undefined) out.metadata = task.metadata
  return out
}
