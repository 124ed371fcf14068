import { createHash } from 'node:crypto'

/** JSON with object keys sorted at every level and no whitespace: one text per value, whatever the key order. */
export function sortedJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (v === null || typeof v !== 'object' || Array.isArray(v)) return v
    const entries = Object.entries(v as Record<string, unknown>).sort(([a], [b]) =>
      a < b ? -1 : a > b ? 1 : 0,
    )
    return Object.fromEntries(entries)
  })
}

/**
 * SHA-256 (hex) of a tool call: its name and its arguments as sorted JSON. An approval is bound to this value, so
 * the approved call is exactly the one that runs.
 */
export function callFingerprint(toolName: string, args: unknown): string {
  return createHash('sha256')
    .update(sortedJson({ tool: toolName, args: args ?? {} }))
    .digest('hex')
}
