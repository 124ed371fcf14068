import { MoleculeError } from '@molecule/core'
import type { Message, Metadata, Part, Role } from './a2a/v03.js'
import { uuidV4 } from './ids.js'

/** A part as it may arrive on the wire: `{kind:'text'}`, legacy `{type:'text'}`, or a bare `{text}`. */
type LoosePart = Record<string, unknown>

function partText(part: unknown): string | undefined {
  if (typeof part === 'string') return part
  if (part === null || typeof part !== 'object') return undefined
  const p = part as LoosePart
  const tag = p.kind ?? p.type
  if (tag !== undefined && tag !== 'text') return undefined
  return typeof p.text === 'string' ? p.text : undefined
}

/**
 * Joins the text of every text part with single spaces, trimmed. Accepts parts tagged with `kind`
 * (v0.3), `type` (legacy callers the platform forwards unchanged) or untagged (`{text}` and v1.0).
 */
export function extractText(message: { parts?: unknown } | null | undefined): string {
  const parts = message?.parts
  if (!Array.isArray(parts)) return ''
  let out = ''
  for (const part of parts) {
    const text = partText(part)
    if (text === undefined || text.length === 0) continue
    out = out.length === 0 ? text : `${out} ${text}`
  }
  return out.trim()
}

export interface TextMessageOptions {
  messageId?: string
  taskId?: string
  contextId?: string
  metadata?: Metadata
}

/** Builds a v0.3 message with one text part — the usual shape of an agent reply. */
export function textMessage(role: Role, text: string, opts: TextMessageOptions = {}): Message {
  const message: Message = {
    kind: 'message',
    messageId: opts.messageId ?? uuidV4(),
    role,
    parts: [{ kind: 'text', text }],
  }
  if (opts.taskId !== undefined) message.taskId = opts.taskId
  if (opts.contextId !== undefined) message.contextId = opts.contextId
  if (opts.metadata !== undefined) message.metadata = opts.metadata
  return message
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v)
}

/** Why a loose message was refused, naming the field, so it can go straight into an error reply. */
export class MessageShapeError extends MoleculeError {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super('A2A_MESSAGE_SHAPE', `${field}: ${message}`, { path: field })
  }
}

/** `params.message.parts[2]`, built only when an error names it (not per part on every request). */
function partField(messageField: string, index: number): string {
  return `${messageField}.parts[${index}]`
}

function normalizePart(raw: unknown, messageField: string, index: number): Part {
  if (typeof raw === 'string') return { kind: 'text', text: raw }
  if (!isRecord(raw)) throw new MessageShapeError(partField(messageField, index), 'must be an object')
  const tag = raw.kind ?? raw.type
  const metadata = isRecord(raw.metadata) ? raw.metadata : undefined
  let part: Part
  if (tag === 'text' || (tag === undefined && 'text' in raw)) {
    if (typeof raw.text !== 'string')
      throw new MessageShapeError(`${partField(messageField, index)}.text`, 'must be a string')
    part = { kind: 'text', text: raw.text }
  } else if (tag === 'file' || (tag === undefined && isRecord(raw.file))) {
    const file = raw.file
    if (!isRecord(file))
      throw new MessageShapeError(`${partField(messageField, index)}.file`, 'must be an object')
    const name = typeof file.name === 'string' ? file.name : undefined
    const mimeType =
      typeof file.mimeType === 'string'
        ? file.mimeType
        : typeof file.mime_type === 'string'
          ? file.mime_type
          : undefined
    if (typeof file.uri === 'string') part = { kind: 'file', file: { uri: file.uri } }
    else if (typeof file.bytes === 'string') part = { kind: 'file', file: { bytes: file.bytes } }
    else
      throw new MessageShapeError(`${partField(messageField, index)}.file`, 'needs a string `uri` or `bytes`')
    if (name !== undefined) part.file.name = name
    if (mimeType !== undefined) part.file.mimeType = mimeType
  } else if (tag === 'data' || (tag === undefined && 'data' in raw)) {
    // v0.3 data parts carry an object; v1.0 allows any JSON value, so wrap the rest.
    part = { kind: 'data', data: isRecord(raw.data) ? raw.data : { value: raw.data ?? null } }
  } else if (tag === undefined && (typeof raw.url === 'string' || typeof raw.raw === 'string')) {
    // v1.0 file parts: {url | raw, filename, mediaType}
    part = {
      kind: 'file',
      file: typeof raw.url === 'string' ? { uri: raw.url } : { bytes: raw.raw as string },
    }
    if (typeof raw.filename === 'string') part.file.name = raw.filename
    if (typeof raw.mediaType === 'string') part.file.mimeType = raw.mediaType
  } else {
    throw new MessageShapeError(partField(messageField, index), 'is not a text, file or data part')
  }
  if (metadata !== undefined) part.metadata = metadata
  return part
}

/** `messageField` is the message's own field name; `.role` is added only for the error. */
function normalizeRole(raw: unknown, messageField: string): Role {
  if (raw === undefined || raw === null || raw === 'user' || raw === 'ROLE_USER') return 'user'
  if (raw === 'agent' || raw === 'ROLE_AGENT') return 'agent'
  throw new MessageShapeError(`${messageField}.role`, 'must be "user" or "agent"')
}

/**
 * Reads a message from untrusted input (v0.3 or v1.0, any part tagging) into the canonical v0.3 shape.
 * Generates `messageId` when absent (the platform proxy does not always inject one). Hand-written
 * rather than zod because it runs on every request. Throws `MessageShapeError` naming the field.
 */
export function normalizeMessage(raw: unknown, field = 'message'): Message {
  if (!isRecord(raw)) throw new MessageShapeError(field, 'must be an object')
  const parts = raw.parts
  if (!Array.isArray(parts)) throw new MessageShapeError(`${field}.parts`, 'must be an array')
  const normalized: Part[] = new Array(parts.length)
  for (let i = 0; i < parts.length; i++) normalized[i] = normalizePart(parts[i], field, i)
  const message: Message = {
    kind: 'message',
    messageId: typeof raw.messageId === 'string' && raw.messageId.length > 0 ? raw.messageId : uuidV4(),
    role: normalizeRole(raw.role, field),
    parts: normalized,
  }
  if (typeof raw.contextId === 'string' && raw.contextId.length > 0) message.contextId = raw.contextId
  if (typeof raw.taskId === 'string' && raw.taskId.length > 0) message.taskId = raw.taskId
  if (isRecord(raw.metadata)) message.metadata = raw.metadata
  if (Array.isArray(raw.referenceTaskIds))
    message.referenceTaskIds = raw.referenceTaskIds.filter((x): x is string => typeof x === 'string')
  if (Array.isArray(raw.extensions))
    message.extensions = raw.extensions.filter((x): x is string => typeof x === 'string')
  return message
}
