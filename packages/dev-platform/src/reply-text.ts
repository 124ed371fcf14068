type Part = { kind?: unknown; type?: unknown; text?: unknown }

function textOf(parts: unknown): string | undefined {
  if (!Array.isArray(parts)) return undefined
  const texts = (parts as Part[])
    .filter(
      (p) => p && (p.kind === 'text' || p.type === 'text' || (p.kind === undefined && p.type === undefined)),
    )
    .map((p) => p.text)
    .filter((t): t is string => typeof t === 'string')
  return texts.length > 0 ? texts.join('\n') : undefined
}

/**
 * First text of an A2A JSON-RPC reply: `result.parts`, then `result.artifacts[].parts`, then
 * `result.status.message.parts`. Parts are read leniently (`kind`, `type`, or neither).
 */
export function replyText(reply: unknown): string | undefined {
  const result = (reply as { result?: Record<string, unknown> } | null)?.result
  if (!result || typeof result !== 'object') return undefined
  const direct = textOf(result.parts)
  if (direct) return direct
  if (Array.isArray(result.artifacts)) {
    for (const artifact of result.artifacts as Array<{ parts?: unknown }>) {
      const text = textOf(artifact?.parts)
      if (text) return text
    }
  }
  const status = result.status as { message?: { parts?: unknown } } | undefined
  return textOf(status?.message?.parts)
}

export function preview(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max)}...` : text
}
