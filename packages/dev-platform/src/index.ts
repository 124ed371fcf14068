export { ActivityLog, type ActivityRow } from './activity-log.js'
export { createDevPlatform, type DevPlatform } from './dev-platform.js'
export { DevPlatformError } from './errors.js'
export type { PlatformEvent } from './event-bus.js'
export { canCommunicate } from './hierarchy.js'
export type { DevPlatformOptions } from './options.js'
export type {
  ApprovalRecord,
  CheckpointRecord,
  MemoryRecord,
  PendingUploadRecord,
  PlatformState,
  QueueEntry,
} from './platform-state.js'
export { type RunningDevPlatform, startDevPlatform } from './start-dev-platform.js'
export type { TokenRecord } from './token-store.js'
export type { DeliveryMode, Workspace, WorkspaceStatus } from './workspace.js'
export type { CreateWorkspaceInput } from './workspace-factory.js'
