/** What a synchronous A2A exchange produced, classified once for every caller. */
export type A2AOutcome = { ok: true; text: string } | { ok: false; detail: string }

export const A2A_ERROR_PREFIX = '[A2A_ERROR] '

function field(value: unknown, key: string): unknown {
  return value && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined
}

function partsText(parts: unknown): string[] {
  if (!Array.isArray(parts)) return []
  const out: string[] = []
  for (const part of parts) {
    const kind = field(part, 'kind') ?? field(part, 'type')
    const text = field(part, 'text')
    if ((kind === 'text' || kind === undefined) && typeof text === 'string') out.push(text)
  }
  return out
}

/** Text of a JSON-RPC `result`: a message's parts, a task's artifacts, or its status message. */
export function resultText(result: unknown): string {
  const texts = [
    ...partsText(field(result, 'parts')),
    ...(Array.isArray(field(result, 'artifacts'))
      ? (field(result, 'artifacts') as unknown[]).flatMap((a) => partsText(field(a, 'parts')))
      : []),
  ]
  if (texts.length === 0) texts.push(...partsText(field(field(field(result, 'status'), 'message'), 'parts')))
  return texts.join('\n')
}

/** Classifies a JSON-RPC response body from a peer. */
export function classifyA2AReply(body: unknown): A2AOutcome {
  const error = field(body, 'error')
  if (error !== undefined && error !== null) {
    const message = field(error, 'message')
    const code = field(error, 'code')
    let detail = `${A2A_ERROR_PREFIX}${typeof message === 'string' && message ? message : 'JSON-RPC error with no message'}`
    if (typeof code === 'number') detail += ` (code=${code})`
    const retryAfter = field(error, 'retry_after') ?? field(field(error, 'data'), 'retry_after')
    if (field(error, 'restarting') || field(field(error, 'data'), 'restarting')) {
      detail += ` (restarting, retry_after=${typeof retryAfter === 'number' ? retryAfter : '?'}s)`
    }
    return { ok: false, detail }
  }
  if (body && typeof body === 'object' && 'result' in body) {
    const text = resultText(field(body, 'result'))
    if (text.startsWith('Agent error:')) return { ok: false, detail: `${A2A_ERROR_PREFIX}${text}` }
    return { ok: true, text: text === '' ? '(no response)' : text }
  }
  const excerpt = typeof body === 'string' ? body : JSON.stringify(body)
  return {
    ok: false,
    detail: `${A2A_ERROR_PREFIX}unexpected response shape (no result, no error): ${excerpt.slice(0, 200)}`,
  }
}
