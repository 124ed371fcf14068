import type { Message, StreamEvent, Task } from '@molecule/adapter-core/a2a'

/**
 * JSON of what v0.3 answers carry. The agent's one-text-part reply — almost every `message/send` answer — is written by
 * hand in the exact key order `JSON.stringify` would use (a fifth of its cost on the hot path); anything else, or a
 * reply someone added keys to, goes through `JSON.stringify`.
 */
export function v03Json(value: Message | Task | StreamEvent): string {
  if (value.kind === 'message' && isPlainTextReply(value)) {
    const part = value.parts[0] as { kind: 'text'; text: string }
    let out = `{"kind":"message","messageId":${JSON.stringify(value.messageId)},"role":${JSON.stringify(value.role)},"parts":[{"kind":"text","text":${JSON.stringify(part.text)}}]`
    if (value.taskId !== undefined) out += `,"taskId":${JSON.stringify(value.taskId)}`
    if (value.contextId !== undefined) out += `,"contextId":${JSON.stringify(value.contextId)}`
    return `${out}}`
  }
  return JSON.stringify(value)
}

/** The shape `textMessage` builds: exactly these keys in this order, one text part of `kind` and `text`. */
const REPLY_KEYS = ['kind', 'messageId', 'role', 'parts', 'taskId', 'contextId']

function isPlainTextReply(message: Message): boolean {
  let i = 0
  for (const key in message) {
    // Keys in insertion order: a missing taskId/contextId may be skipped, nothing else may appear or move.
    while (i < REPLY_KEYS.length && REPLY_KEYS[i] !== key && i >= 4) i++
    if (REPLY_KEYS[i] !== key) return false
    const value = (message as unknown as Record<string, unknown>)[key]
    if (key === 'parts' ? !isOneTextPart(value) : typeof value !== 'string') return false
    i++
  }
  return i >= 4
}

function isOneTextPart(parts: unknown): boolean {
  if (!Array.isArray(parts) || parts.length !== 1) return false
  const part = parts[0] as Record<string, unknown>
  if (part === null || typeof part !== 'object') return false
  let keys = 0
  for (const key in part) {
    keys++
    if (keys === 1 ? key !== 'kind' || part.kind !== 'text' : key !== 'text' || typeof part.text !== 'string')
      return false
  }
  return keys === 2
}
