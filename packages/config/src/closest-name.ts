/** Edit distance between two short names (insertions, deletions, substitutions and swaps of neighbours). */
function distance(a: string, b: string): number {
  const width = b.length + 1
  const d = new Uint16Array((a.length + 1) * width)
  const at = (i: number, j: number): number => d[i * width + j] ?? 0
  for (let i = 0; i <= a.length; i++) d[i * width] = i
  for (let j = 0; j <= b.length; j++) d[j] = j
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1
      let best = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost)
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        best = Math.min(best, at(i - 2, j - 2) + 1)
      d[i * width + j] = best
    }
  }
  return at(a.length, b.length)
}

/**
 * The known name a mistyped one most likely meant (`nmae` → `name`, `tokn` → `token`), or undefined when
 * nothing is close: at most one edit for short names, two for names of six letters or more.
 */
export function closestName(name: string, known: Iterable<string>): string | undefined {
  const wanted = name.toLowerCase()
  if (wanted.length > 64) return undefined
  const allowed = wanted.length >= 6 ? 2 : 1
  let best: string | undefined
  let bestDistance = allowed + 1
  for (const candidate of known) {
    const d = distance(wanted, candidate.toLowerCase())
    if (d < bestDistance) {
      best = candidate
      bestDistance = d
    }
  }
  return best
}

/** ` Did you mean "x"?` for a message, or an empty string. */
export function didYouMean(name: string, known: Iterable<string>): string {
  const match = closestName(name, known)
  return match === undefined || match === name ? '' : ` Did you mean "${match}"?`
}
