import { closestName } from '@molecule/config'

/** The keys a `MOLECULE_WORKSPACES` entry may have, aliases included. */
const ENTRY_KEYS = ['id', 'workspace_id', 'token', 'workspace_token', 'platform_url', 'platformUrl']

function kindOf(value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'an array'
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`
}

/**
 * What is wrong with the `id` and `token` of one entry, said precisely: a value of the wrong type is not "missing",
 * and a mistyped key (`tokn`) is named with the key it most likely meant. Values are never shown (tokens).
 */
export function entryShapeProblems(record: Record<string, unknown>, id: unknown, token: unknown): string[] {
  const problems: string[] = []
  const unknown = Object.keys(record).filter((key) => !ENTRY_KEYS.includes(key))
  const meant = (wanted: string): string | undefined =>
    unknown.find((key) => {
      const match = closestName(key, ENTRY_KEYS)
      return match === wanted || match === `workspace_${wanted}`
    })
  for (const [name, value] of [
    ['id', id],
    ['token', token],
  ] as const) {
    if (typeof value === 'string') {
      if (value.trim() === '') problems.push(`"${name}" is blank`)
      continue
    }
    if (value !== undefined) {
      problems.push(`"${name}" must be a string in quotes, got ${kindOf(value)}`)
      continue
    }
    const typo = meant(name)
    problems.push(
      typo
        ? `"${name}" is missing; the entry has "${typo}": did you mean "${name}"?`
        : `"${name}" is missing`,
    )
  }
  // Other keys are ignored (entries may carry notes of the operator's), unless one is a misspelt known key.
  for (const key of unknown) {
    if (key === meant('id') || key === meant('token')) continue
    const match = closestName(key, ENTRY_KEYS)
    if (match) problems.push(`unknown key "${key}": did you mean "${match}"?`)
  }
  return problems
}
