import type { ActivityRow } from './schemas.js'

/** Who sent an inbound message: the human in the canvas, a peer agent, or the platform returning a delegation result. */
export type InboxMessageKind = 'canvas_user' | 'peer_agent' | 'delegation_result'

export interface InboxAttachment {
  kind: 'file' | 'image' | 'audio' | 'video'
  uri: string
  name?: string
  mime_type?: string
}

/** One inbound message as bridges and agents see it; empty fields are omitted. */
export interface InboxMessage {
  /** The activity row id: the acknowledgement key. */
  activity_id: string
  text: string
  kind: InboxMessageKind
  /** Sender workspace; absent for the human (canvas) user. */
  peer_id?: string
  method?: string
  created_at?: string
  peer_name?: string
  peer_role?: string
  agent_card_url?: string
  attachments?: InboxAttachment[]
  /** Multi-workspace bridges: which of the served workspaces received it. */
  arrival_workspace_id?: string
}

const EMPTY_TEXT = '(empty A2A message)'

type Json = Record<string, unknown>

function asObject(value: unknown): Json | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Json) : undefined
}

function partsAt(body: unknown, ...path: string[]): unknown[] | undefined {
  let node: unknown = body
  for (const key of path) node = asObject(node)?.[key]
  return Array.isArray(node) ? node : undefined
}

/** Parts of a JSON-RPC request body: `params.message.parts`, then `params.parts`, then top-level `parts`. */
function candidatePartLists(requestBody: unknown): unknown[][] {
  const body = typeof requestBody === 'string' ? tryParse(requestBody) : requestBody
  return [
    partsAt(body, 'params', 'message', 'parts'),
    partsAt(body, 'params', 'parts'),
    partsAt(body, 'parts'),
  ].filter((p): p is unknown[] => p !== undefined)
}

function tryParse(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return undefined
  }
}

// Parts are read leniently: A2A v1 uses `kind`, v0 bodies (platform delegations, bridges) use `type`.
function discriminator(part: Json): unknown {
  return part.kind ?? part.type
}

/**
 * Text of an inbound JSON-RPC request: the first non-empty concatenation of text parts found in
 * `params.message.parts`, `params.parts`, then `parts`. Empty string when there is none.
 */
export function extractMessageText(requestBody: unknown): string {
  for (const parts of candidatePartLists(requestBody)) {
    const text = parts
      .map(asObject)
      .filter((p): p is Json => p !== undefined && discriminator(p) === 'text' && typeof p.text === 'string')
      .map((p) => p.text as string)
      .join('')
    if (text.trim()) return text
  }
  return ''
}

function attachmentKind(mime: string | undefined): InboxAttachment['kind'] {
  if (mime?.startsWith('image/')) return 'image'
  if (mime?.startsWith('audio/')) return 'audio'
  if (mime?.startsWith('video/')) return 'video'
  return 'file'
}

/** File parts (`{kind|type: "file", file: {uri, name, mimeType}}`) of an inbound request. */
export function extractAttachments(requestBody: unknown): InboxAttachment[] {
  const out: InboxAttachment[] = []
  for (const parts of candidatePartLists(requestBody)) {
    for (const raw of parts) {
      const part = asObject(raw)
      if (!part || discriminator(part) !== 'file') continue
      const file = asObject(part.file) ?? part
      const uri =
        typeof file.uri === 'string' ? file.uri : typeof file.url === 'string' ? file.url : undefined
      if (!uri) continue
      const mime =
        typeof file.mimeType === 'string'
          ? file.mimeType
          : typeof file.mime_type === 'string'
            ? file.mime_type
            : undefined
      const attachment: InboxAttachment = { kind: attachmentKind(mime), uri }
      if (typeof file.name === 'string') attachment.name = file.name
      if (mime) attachment.mime_type = mime
      out.push(attachment)
    }
    if (out.length) break
  }
  return out
}

/** The flat `{file_id, uri, name, mimeType, size}` body of a `chat_upload_receive` row, when it has a URI. */
export function uploadManifest(
  requestBody: unknown,
): { fileId?: string; uri: string; name?: string; mimeType?: string; size?: number } | undefined {
  const body = asObject(typeof requestBody === 'string' ? tryParse(requestBody) : requestBody)
  if (!body || typeof body.uri !== 'string' || !body.uri) return undefined
  const out: { fileId?: string; uri: string; name?: string; mimeType?: string; size?: number } = {
    uri: body.uri,
  }
  if (typeof body.file_id === 'string' && body.file_id) out.fileId = body.file_id
  if (typeof body.name === 'string' && body.name) out.name = body.name
  const mime = typeof body.mimeType === 'string' ? body.mimeType : body.mime_type
  if (typeof mime === 'string' && mime) out.mimeType = mime
  if (typeof body.size === 'number' && Number.isFinite(body.size)) out.size = body.size
  return out
}

/**
 * Turns an `a2a_receive` activity row into an inbox message, or `null` for rows a workspace must not treat as
 * inbound: its own `/notify` echoes (`method: notify`, no source) and self-echoes of its own sends (source is
 * itself, except `delegate_result` rows, which are results pushed to the delegator).
 */
export function parseInboxRow(row: ActivityRow, selfWorkspaceId: string): InboxMessage | null {
  const source = row.source_id ?? ''
  const method = row.method ?? undefined
  if (method === 'notify' && !source) return null
  if (source && source === selfWorkspaceId && method !== 'delegate_result') return null

  const kind: InboxMessageKind =
    method === 'delegate_result' ? 'delegation_result' : source ? 'peer_agent' : 'canvas_user'
  const resultText = asObject(row.response_body)?.text
  const text =
    extractMessageText(row.request_body) ||
    (kind === 'delegation_result' && typeof resultText === 'string' ? resultText : '') ||
    row.summary ||
    EMPTY_TEXT
  const message: InboxMessage = { activity_id: row.id, text, kind }
  if (source) message.peer_id = source
  if (method) message.method = method
  if (row.created_at) message.created_at = row.created_at
  if (row.peer_name) message.peer_name = row.peer_name
  if (row.peer_role) message.peer_role = row.peer_role
  if (row.agent_card_url) message.agent_card_url = row.agent_card_url
  const attachments = extractAttachments(row.request_body)
  const upload = method === 'chat_upload_receive' ? uploadManifest(row.request_body) : undefined
  if (upload) {
    // A user upload to a poll-mode workspace: the row carries a flat manifest, not a JSON-RPC message.
    const attachment: InboxAttachment = { kind: attachmentKind(upload.mimeType), uri: upload.uri }
    if (upload.name) attachment.name = upload.name
    if (upload.mimeType) attachment.mime_type = upload.mimeType
    attachments.push(attachment)
    const details = [upload.mimeType, upload.size !== undefined ? `${upload.size} bytes` : undefined]
      .filter(Boolean)
      .join(', ')
    message.text = `The user uploaded a file: ${upload.name ?? 'file'}${details ? ` (${details})` : ''} at ${upload.uri}`
  }
  if (attachments.length) message.attachments = attachments
  return message
}
