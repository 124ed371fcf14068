import { type Endpoint, endpoint, listOf, route } from '../endpoint.js'
import {
  type ActivityRow,
  ActivityRowSchema,
  type BroadcastResponse,
  BroadcastResponseSchema,
  type PendingUploadAck,
  PendingUploadAckSchema,
  type StatusResponse,
  StatusResponseSchema,
  type UploadResponse,
  UploadResponseSchema,
} from '../schemas.js'
import type { ListActivityQuery, NotifyInput, ReportActivityInput, UploadFile } from '../types.js'

// Messages to the human and to the organisation, chat uploads, and the activity log the inbox is read from. Only
// the reads are retried: a repeated write could deliver or log twice.

/** The platform's per-file cap of chat uploads: the default limit of `fetchPendingUpload`. */
export const PENDING_UPLOAD_MAX_BYTES = 25 * 1024 * 1024

/** The bytes of a pending (poll-mode) chat upload with what the platform said about them. */
export interface PendingUploadContent {
  bytes: Uint8Array<ArrayBuffer>
  /** `Content-Type` without parameters; `application/octet-stream` when absent. */
  mimeType: string
  /** The `Content-Disposition` filename, when sent (already sanitised by the platform). */
  filename?: string
}

/** `POST /workspaces/:id/notify`: `attachments` only when there are some. */
export function notify(workspaceId: string, input: NotifyInput): Endpoint<StatusResponse> {
  return endpoint('POST', route('/workspaces/:id/notify', { id: workspaceId }), StatusResponseSchema, {
    json: {
      message: input.message,
      ...(input.attachments?.length ? { attachments: input.attachments } : {}),
    },
  })
}

/** `POST /workspaces/:id/broadcast`. */
export function broadcast(workspaceId: string, message: string): Endpoint<BroadcastResponse> {
  return endpoint('POST', route('/workspaces/:id/broadcast', { id: workspaceId }), BroadcastResponseSchema, {
    json: { message },
  })
}

/** `POST /workspaces/:id/chat/uploads`: multipart, one `files` part per file. */
export function uploadChatFiles(workspaceId: string, files: UploadFile[]): Endpoint<UploadResponse> {
  const form = new FormData()
  for (const file of files) {
    const blob =
      file.data instanceof Blob
        ? file.data
        : new Blob([file.data], file.mimeType ? { type: file.mimeType } : {})
    form.append('files', blob, file.name)
  }
  return endpoint('POST', route('/workspaces/:id/chat/uploads', { id: workspaceId }), UploadResponseSchema, {
    form,
  })
}

/** `GET /workspaces/:id/pending-uploads/:fileId/content`: raw bytes, refused unread beyond `maxBytes`. */
export function fetchPendingUpload(
  workspaceId: string,
  fileId: string,
  maxBytes: number,
): Endpoint<Uint8Array<ArrayBuffer>, PendingUploadContent> {
  const path = route('/workspaces/:id/pending-uploads/:fileId/content', { id: workspaceId, fileId })
  return {
    ...endpoint<Uint8Array<ArrayBuffer>>('GET', path, null, {
      headers: { accept: '*/*' },
      binary: { maxBytes },
    }),
    read: (res) => {
      const content: PendingUploadContent = {
        bytes: res.data,
        mimeType: res.headers.get('content-type')?.split(';')[0]?.trim() || 'application/octet-stream',
      }
      const name = res.headers.get('content-disposition')?.match(/filename="([^"]*)"/)?.[1]
      if (name) content.filename = name
      return content
    },
  }
}

/** `POST /workspaces/:id/pending-uploads/:fileId/ack`. */
export function ackPendingUpload(workspaceId: string, fileId: string): Endpoint<PendingUploadAck> {
  return endpoint(
    'POST',
    route('/workspaces/:id/pending-uploads/:fileId/ack', { id: workspaceId, fileId }),
    PendingUploadAckSchema,
  )
}

/** `POST /workspaces/:id/activity`: `source_id` is always this workspace; unset fields are left out. */
export function reportActivity(workspaceId: string, input: ReportActivityInput): Endpoint<StatusResponse> {
  const json: Record<string, unknown> = { activity_type: input.activityType, source_id: workspaceId }
  if (input.method !== undefined) json.method = input.method
  if (input.summary !== undefined) json.summary = input.summary
  if (input.targetId !== undefined) json.target_id = input.targetId
  if (input.status !== undefined) json.status = input.status
  if (input.errorDetail !== undefined) json.error_detail = input.errorDetail
  if (input.durationMs !== undefined) json.duration_ms = input.durationMs
  if (input.requestBody !== undefined) json.request_body = input.requestBody
  if (input.responseBody !== undefined) json.response_body = input.responseBody
  if (input.metadata !== undefined) json.metadata = input.metadata
  return endpoint('POST', route('/workspaces/:id/activity', { id: workspaceId }), StatusResponseSchema, {
    json,
  })
}

/** `GET /workspaces/:id/activity?type=&since_id=&since_secs=&source=&peer_id=&before_ts=&limit=&include=`. */
export function listActivity(workspaceId: string, query: ListActivityQuery): Endpoint<ActivityRow[]> {
  return endpoint('GET', route('/workspaces/:id/activity', { id: workspaceId }), listOf(ActivityRowSchema), {
    query: {
      type: query.type,
      since_id: query.sinceId,
      since_secs: query.sinceSecs,
      source: query.source,
      peer_id: query.peerId,
      before_ts: query.beforeTs,
      limit: query.limit,
      include: query.include,
    },
  })
}
