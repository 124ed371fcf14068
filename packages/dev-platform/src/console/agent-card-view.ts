import { shownJson, shownText } from './text-preview.js'

export interface SkillView {
  id: string
  name: string
  description: string
  tags: string[]
}

/** What the workspace page shows of an agent card: the fields people read, the skills, and the whole card. */
export interface CardView {
  name: string
  description: string
  version: string
  url: string
  /** Capability names that are on (`streaming`, `pushNotifications`, …). */
  capabilities: string[]
  skills: SkillView[]
  /** The card as masked, indented JSON. */
  json: string
}

const text = (value: unknown, max: number): string => (typeof value === 'string' ? shownText(value, max) : '')

function skillsOf(skills: unknown): SkillView[] {
  if (!Array.isArray(skills)) return []
  return skills.slice(0, 100).flatMap((skill) => {
    if (skill === null || typeof skill !== 'object') return []
    const s = skill as Record<string, unknown>
    const tags = Array.isArray(s.tags)
      ? s.tags
          .slice(0, 20)
          .map((tag) => text(tag, 40))
          .filter(Boolean)
      : []
    return [
      {
        id: text(s.id, 80),
        name: text(s.name, 120) || text(s.id, 80),
        description: text(s.description, 400),
        tags,
      },
    ]
  })
}

/** The card's view, or null when the workspace has none (or a card that is not an object). */
export function cardView(card: unknown): CardView | null {
  if (card === null || typeof card !== 'object' || Array.isArray(card)) return null
  const c = card as Record<string, unknown>
  const capabilities =
    c.capabilities !== null && typeof c.capabilities === 'object'
      ? Object.entries(c.capabilities as Record<string, unknown>)
          .filter(([, on]) => on === true)
          .map(([name]) => shownText(name, 40))
      : []
  return {
    name: text(c.name, 120),
    description: text(c.description, 1_000),
    version: text(c.version, 40),
    url: text(c.url, 200),
    capabilities,
    skills: skillsOf(c.skills),
    json: shownJson(card, 20_000),
  }
}
