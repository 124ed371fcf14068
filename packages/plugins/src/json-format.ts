import { sha256 } from './files.js'

/** How a JSON file was laid out, so a rewrite keeps its indentation and final newline. */
export interface JsonLayout {
  indent: string
  finalNewline: boolean
}

export const DEFAULT_LAYOUT: JsonLayout = { indent: '  ', finalNewline: true }

export function layoutOf(text: string): JsonLayout {
  const indent = /\n([ \t]+)\S/.exec(text)?.[1] ?? DEFAULT_LAYOUT.indent
  return { indent, finalNewline: text.endsWith('\n') }
}

export function formatJson(value: unknown, layout: JsonLayout): string {
  return `${JSON.stringify(value, null, layout.indent)}${layout.finalNewline ? '\n' : ''}`
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** JSON with object keys sorted: two values that differ only in key order hash the same. */
function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical)
  if (!isPlainObject(value)) return value
  return Object.fromEntries(
    Object.keys(value)
      .sort()
      .map((k) => [k, canonical(value[k])]),
  )
}

export function valueHash(value: unknown): string {
  return sha256(JSON.stringify(canonical(value)) ?? 'undefined')
}

/** Replaces `${NAME}` placeholders in every string of a JSON value (other `${…}` forms are left as they are). */
export function substitute(value: unknown, vars: Readonly<Record<string, string>>): unknown {
  if (typeof value === 'string')
    return value.replace(/\$\{([A-Z_][A-Z0-9_]*)\}/g, (whole, name: string) => vars[name] ?? whole)
  if (Array.isArray(value)) return value.map((v) => substitute(v, vars))
  if (isPlainObject(value))
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, substitute(v, vars)]))
  return value
}
