/**
 * Header fields merged as HTTP reads them: names are case-insensitive and the last source wins (a caller's `Accept`
 * replaces the default `accept` instead of going on the wire beside it), keeping the winning source's spelling.
 */
export function mergeFields(...sources: (Record<string, string> | undefined)[]): Record<string, string> {
  const out: Record<string, string> = {}
  const spelled = new Map<string, string>()
  for (const source of sources) {
    for (const name in source) {
      const key = name.toLowerCase()
      const previous = spelled.get(key)
      if (previous !== undefined && previous !== name) delete out[previous]
      spelled.set(key, name)
      out[name] = source[name] as string
    }
  }
  return out
}
