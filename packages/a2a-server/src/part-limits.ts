import type { Message, Part } from '@molecule/adapter-core'

/** UTF-8 bytes of a string, computed only when the length alone does not settle it against `limit`. */
function exceeds(text: string, limit: number): boolean {
  if (text.length * 3 <= limit) return false
  if (text.length > limit) return true
  return Buffer.byteLength(text) > limit
}

/** The field of a part that holds its payload, and that payload's size check. */
function oversizedField(part: Part, limit: number): string | undefined {
  if (part.kind === 'text') return exceeds(part.text, limit) ? 'text' : undefined
  if (part.kind === 'file') {
    const file = part.file as { bytes?: unknown; uri?: unknown }
    if (typeof file.bytes === 'string' && exceeds(file.bytes, limit)) return 'file.bytes'
    if (typeof file.uri === 'string' && exceeds(file.uri, limit)) return 'file.uri'
    return undefined
  }
  return exceeds(JSON.stringify(part.data) ?? '', limit) ? 'data' : undefined
}

/**
 * -32602's message when a part of an inbound message is larger than `limit` bytes (every part is
 * kept in the task's history), naming the field and the limit; undefined when all fit.
 */
export function oversizedPartProblem(message: Message, limit: number): string | undefined {
  const { parts } = message
  for (let i = 0; i < parts.length; i++) {
    const field = oversizedField(parts[i] as Part, limit)
    if (field !== undefined)
      return `params.message.parts[${i}].${field} is larger than ${limit} bytes, the most one part may hold (maxPartBytes); send it in smaller parts or as a file uri`
  }
  return undefined
}
