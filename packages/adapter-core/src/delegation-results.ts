import { readFile, rename, rm } from 'node:fs/promises'

/**
 * Takes the results file the runtime appends finished delegations to (renamed to
 * `<name>.consumed` first, so a result appended meanwhile lands in a fresh file; the consumed file is always
 * deleted) and renders one `- [<status or ?>] <summary>` line per result, plus `  Response: <preview[:200]>`
 * when there is one. `""` when there is no file or nothing in it.
 */
export async function readDelegationResults(path: string): Promise<string> {
  const consumed = `${path}.consumed`
  try {
    await rename(path, consumed)
  } catch {
    return ''
  }
  let raw = ''
  try {
    raw = await readFile(consumed, 'utf8')
  } catch {
    return ''
  } finally {
    await rm(consumed, { force: true }).catch(() => {})
  }
  const lines: string[] = []
  for (const line of raw.split('\n')) {
    if (line.trim() === '') continue
    let row: Record<string, unknown>
    try {
      row = JSON.parse(line) as Record<string, unknown>
    } catch {
      continue
    }
    if (row === null || typeof row !== 'object') continue
    const status = typeof row.status === 'string' && row.status ? row.status : '?'
    const summary = typeof row.summary === 'string' ? row.summary : ''
    lines.push(`- [${status}] ${summary}`)
    if (typeof row.response_preview === 'string' && row.response_preview)
      lines.push(`  Response: ${row.response_preview.slice(0, 200)}`)
  }
  return lines.join('\n')
}
