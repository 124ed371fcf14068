/**
 * Keys that appear more than once in the same object of one raw JSON text, at any depth. `JSON.parse` keeps the last
 * value of a repeated key silently, so a log line that writes a key twice can only be seen in its raw text.
 */
export function duplicateKeys(json: string): string[] {
  // One entry per open container: the keys seen so far for an object, null for an array.
  const open: Array<Set<string> | null> = []
  const duplicates: string[] = []
  for (let i = 0; i < json.length; i++) {
    const ch = json[i]
    if (ch === '{') open.push(new Set())
    else if (ch === '[') open.push(null)
    else if (ch === '}' || ch === ']') open.pop()
    else if (ch === '"') {
      let end = i + 1
      while (end < json.length && json[end] !== '"') end += json[end] === '\\' ? 2 : 1
      let next = end + 1
      while (json[next] === ' ') next++
      const keys = open.at(-1)
      // A string followed by a colon inside an object is a key; anything else is a value.
      if (keys && json[next] === ':') {
        const key = JSON.parse(json.slice(i, end + 1)) as string
        if (keys.has(key)) duplicates.push(key)
        keys.add(key)
      }
      i = end
    }
  }
  return duplicates
}
