import { excerptHead, maskSecrets } from '@molecule/core'

/**
 * What the console shows of any text it did not write itself (messages, replies, tasks, memories, cards): masked
 * as log lines are (`maskSecrets` of @molecule/core), then cut to `max` characters. Masking comes first so a cut
 * can never leave the tail of a credential unmasked.
 */
export function shownText(text: string, max: number): string {
  const clean = maskSecrets(excerptHead(text)).replace(/\s+/g, ' ').trim()
  return clean.length > max ? `${clean.slice(0, max - 1)}…` : clean
}

/** Like `shownText`, keeping line breaks (card JSON, memory bodies). */
export function shownBlock(text: string, max: number): string {
  const clean = maskSecrets(excerptHead(text))
  return clean.length > max ? `${clean.slice(0, max - 1)}…` : clean
}

/** Deeper than this, a value shows as `…` (cards and contexts are shallow; this bounds the walk). */
const MAX_DEPTH = 12

function maskedValue(value: unknown, depth: number): unknown {
  if (typeof value === 'string') return maskSecrets(value)
  if (value === null || typeof value !== 'object') return value
  if (depth >= MAX_DEPTH) return '…'
  if (Array.isArray(value)) return value.map((item) => maskedValue(item, depth + 1))
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, maskedValue(item, depth + 1)]))
}

/**
 * A JSON value as indented JSON for display. Every string is masked before it is quoted (inside JSON a credential's
 * context, `"password":"…"` in a string, is escaped beyond recognition), then the whole text once more (fields named
 * like credentials).
 */
export function shownJson(value: unknown, max: number): string {
  return shownBlock(JSON.stringify(maskedValue(value, 0), null, 2) ?? '', max)
}

type Part = { kind?: unknown; type?: unknown; text?: unknown }

/** The text parts of an A2A message (parts read leniently: `kind`, `type` or neither), joined. */
export function partsText(parts: unknown): string | undefined {
  if (!Array.isArray(parts)) return undefined
  const texts = (parts as Part[])
    .filter((p) => p && typeof p.text === 'string' && (p.kind ?? p.type ?? 'text') === 'text')
    .map((p) => p.text as string)
  return texts.length > 0 ? texts.join('\n') : undefined
}

/** The text of a JSON-RPC request's `params.message`. */
export function requestText(body: unknown): string | undefined {
  const message = (body as { params?: { message?: { parts?: unknown } } } | null)?.params?.message
  return partsText(message?.parts)
}
