export { maskSecrets } from '@molecule/core'
export { readJsonFile, type WriteFileAtomicOptions, writeFileAtomic } from './atomic-file.js'
export { backoffDelay, DEFAULT_RETRY, type RetryPolicy } from './backoff.js'
export {
  type A2AResult,
  delegationIdempotencyKey,
  PENDING_UPLOAD_MAX_BYTES,
  type PendingUploadContent,
  PlatformClient,
  type PlatformClientOptions,
} from './client.js'
export {
  EXCERPT_MAX_CHARS,
  isPlatformError,
  PlatformClientError,
  PlatformError,
  type PlatformErrorCode,
} from './errors.js'
export { type PlatformStreamEvent, parseEventFrame, readEventStream } from './event-stream.js'
export { FailureLog, type FailureLogOptions } from './failure-log.js'
export { buildHeartbeatBody, type HeartbeatState } from './heartbeat-body.js'
export { HeartbeatLoop, type HeartbeatLoopOptions } from './heartbeat-loop.js'
export { InboxCursorFile } from './inbox-cursor-file.js'
export {
  extractAttachments,
  extractMessageText,
  type InboxAttachment,
  type InboxMessage,
  type InboxMessageKind,
  parseInboxRow,
  uploadManifest,
} from './inbox-message.js'
export { InboxPoller, type InboxPollerOptions } from './inbox-poller.js'
export { type Logger, silentLogger } from './logger.js'
export { RegistrationLoop, type RegistrationLoopOptions } from './registration-loop.js'
export type { RequestTracer, TracedRequest } from './request-tracer.js'
export type {
  ActivityRow,
  Approval,
  ApprovalRequestResponse,
  Attachment,
  Checkpoint,
  DelegateResponse,
  DelegationRow,
  DiscoverResponse,
  HeartbeatResponse,
  Instructions,
  Memory,
  MemoryCommitResponse,
  Peer,
  PendingUploadAck,
  RecordDelegationResponse,
  RegisterResponse,
  SharedContextFile,
  StatusResponse,
  UpdateDelegationResponse,
  UploadResponse,
  Workspace,
  WorkspaceState,
} from './schemas.js'
export { MemoryTokenSource, TOKEN_FILE_NAME, type TokenSource, TokenStore } from './token-store.js'
export { Turns } from './turns.js'
export type * from './types.js'
