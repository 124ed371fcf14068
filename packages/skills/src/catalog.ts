import type { LoadedSkill } from './load-skill.js'

/** How skills reach the prompt: `catalog` (name and description; bodies through `activate_skill`) or `full`. */
export type SkillPromptMode = 'catalog' | 'full'

export const DEFAULT_CATALOG_MAX_CHARS = 8000

/** A skill as the prompt shows it (adapter-core's `SkillSummary` shape). */
export interface CatalogEntry {
  id: string
  name: string
  description: string
  instructions?: string
  tags: string[]
  examples: string[]
}

export interface SkillCatalog {
  entries: CatalogEntry[]
  /** Ids whose description was shortened to fit the cap. */
  shortened: string[]
  /** Ids left out because even short descriptions did not fit. */
  dropped: string[]
}

/** The characters an entry costs in the prompt: its `### name` line and its description line. */
function cost(entry: CatalogEntry): number {
  return entry.name.length + 5 + entry.description.length + 1 + (entry.instructions?.length ?? 0)
}

const SHORTEST_DESCRIPTION = 80

function shorten(text: string, max: number): string {
  if (text.length <= max) return text
  const cut = text.slice(0, Math.max(0, max - 1))
  const word = cut.replace(/\s+\S*$/, '')
  return `${word.length > max / 2 ? word : cut}…`
}

/**
 * The skills section's entries. `catalog` mode lists each model-invocable skill's name and description within
 * `maxChars`: longer descriptions are shortened first (to an equal share, at least 80 characters), then skills are
 * dropped from the end. `full` mode inlines every body as the upstream runtime did, without a cap. Skills with
 * `disable-model-invocation` are never listed.
 */
export function skillCatalog(
  skills: readonly LoadedSkill[],
  options: { mode?: SkillPromptMode; maxChars?: number } = {},
): SkillCatalog {
  const mode = options.mode ?? 'catalog'
  const listed = skills.filter((s) => !s.disableModelInvocation)
  const entries: CatalogEntry[] = listed.map((s) => ({
    id: s.id,
    name: s.name,
    description: s.description,
    ...(mode === 'full' && s.instructions ? { instructions: s.instructions } : {}),
    tags: [...s.tags],
    examples: [...s.examples],
  }))
  const shortened: string[] = []
  const dropped: string[] = []
  if (mode === 'full') return { entries, shortened, dropped }
  const max = options.maxChars ?? DEFAULT_CATALOG_MAX_CHARS
  const total = () => entries.reduce((sum, e) => sum + cost(e), 0)
  if (total() > max && entries.length > 0) {
    const names = entries.reduce((sum, e) => sum + e.name.length + 6, 0)
    const share = Math.max(SHORTEST_DESCRIPTION, Math.floor((max - names) / entries.length))
    for (const entry of entries) {
      if (entry.description.length <= share) continue
      entry.description = shorten(entry.description, share)
      shortened.push(entry.id)
    }
  }
  while (total() > max && entries.length > 0) {
    const last = entries.pop()
    if (last) dropped.unshift(last.id)
  }
  return { entries, shortened, dropped }
}
