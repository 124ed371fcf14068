import { type SkillProblem, skillProblem } from './problems.js'

/** A skill's frontmatter, read leniently: every field has a value, every surprise is a warning. */
export interface SkillMetadata {
  /** The folder name: what the card, `activate_skill` and the logs call the skill. */
  id: string
  /** Frontmatter `name`; the folder name when absent. */
  name: string
  /** What the skill does and when to use it ('' when absent). */
  description: string
  tags: string[]
  examples: string[]
  /** Adapter names the skill is for; `['*']` = any. */
  runtime: string[]
  license?: string
  compatibility?: string
  /** Agent Skills `metadata`: a string-to-string map. */
  metadata: Record<string, string>
  /** Agent Skills `allowed-tools` (a space-separated string or a list), as a list. */
  allowedTools: string[]
  /** `disable-model-invocation: true`: left out of the catalog and of `activate_skill`. */
  disableModelInvocation: boolean
  /** Every other frontmatter key (`origin`, `version`, `user-invocable` …), kept as written. */
  extra: Record<string, unknown>
}

/** Keys this package reads; `tools` (script tool declarations) is read by script-declarations.ts. */
const KNOWN_KEYS = new Set([
  'name',
  'description',
  'tags',
  'examples',
  'runtime',
  'license',
  'compatibility',
  'metadata',
  'allowed-tools',
  'disable-model-invocation',
  'tools',
])

/** Agent Skills names: 1–64 lowercase letters and digits, single hyphens between them. */
const SKILL_NAME = /^[a-z0-9]+(?:-[a-z0-9]+)*$/
export const MAX_NAME_LENGTH = 64
export const MAX_DESCRIPTION_LENGTH = 1024
export const MAX_COMPATIBILITY_LENGTH = 500

function isMap(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** Upstream `runtime`: a name, a list of names, `*`; absent or empty means any. Undefined: not one of those. */
function runtimeList(value: unknown): string[] | undefined {
  if (value === undefined || value === null) return ['*']
  if (typeof value === 'string') return value.trim() ? [value.trim()] : ['*']
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) {
    const names = value.map((v) => v.trim()).filter(Boolean)
    return names.length > 0 ? names : ['*']
  }
  return undefined
}

/**
 * Reads the frontmatter of skill `id` (its folder name). Nothing here refuses a skill: a missing description, a name
 * that differs from the folder, a wrong type, are warnings and the field falls back to its default.
 */
export function readSkillMetadata(
  id: string,
  raw: Record<string, unknown>,
): { metadata: SkillMetadata; problems: SkillProblem[] } {
  const problems: SkillProblem[] = []
  const warn = (message: string) => problems.push(skillProblem('warning', id, 'SKILL.md', message))
  const text = (key: string): string | undefined => {
    const value = raw[key]
    if (value === undefined || value === null) return undefined
    if (typeof value === 'string') return value.trim()
    if (typeof value === 'number' || typeof value === 'boolean') return String(value)
    warn(`"${key}" must be a string; ignored.`)
    return undefined
  }
  const list = (key: string): string[] => {
    const value = raw[key]
    if (value === undefined || value === null) return []
    if (typeof value === 'string') return [value]
    if (Array.isArray(value)) {
      const strings = value.filter((v): v is string => typeof v === 'string')
      if (strings.length !== value.length) warn(`"${key}" must be a list of strings; other entries ignored.`)
      return strings
    }
    warn(`"${key}" must be a list of strings; ignored.`)
    return []
  }

  const name = text('name') || id
  if (name.length > MAX_NAME_LENGTH || !SKILL_NAME.test(name)) {
    warn(
      `name "${name}" is not an Agent Skills name (1-${MAX_NAME_LENGTH} lowercase letters, digits and single hyphens).`,
    )
  }
  if (name !== id) warn(`name "${name}" differs from the folder name "${id}"; the skill's id stays "${id}".`)

  const description = text('description') ?? ''
  if (!description) {
    warn('no description: the catalog shows the skill by name only. Say what it does and when to use it.')
  } else if (description.length > MAX_DESCRIPTION_LENGTH) {
    warn(`description has ${description.length} characters (at most ${MAX_DESCRIPTION_LENGTH}).`)
  }

  let runtime = runtimeList(raw.runtime)
  if (!runtime) {
    warn('"runtime" must be an adapter name, a list of names or "*"; treated as "*".')
    runtime = ['*']
  }

  const compatibility = text('compatibility')
  if (compatibility && compatibility.length > MAX_COMPATIBILITY_LENGTH) {
    warn(`compatibility has ${compatibility.length} characters (at most ${MAX_COMPATIBILITY_LENGTH}).`)
  }

  const metadata: Record<string, string> = {}
  if (isMap(raw.metadata)) {
    for (const [key, value] of Object.entries(raw.metadata)) {
      if (typeof value === 'string') metadata[key] = value
      else if (typeof value === 'number' || typeof value === 'boolean') metadata[key] = String(value)
      else warn(`metadata.${key} must be a string; ignored.`)
    }
  } else if (raw.metadata !== undefined && raw.metadata !== null) {
    warn('"metadata" must be a map of strings; ignored.')
  }

  const allowed = raw['allowed-tools']
  const allowedTools =
    typeof allowed === 'string' ? allowed.split(/\s+/).filter(Boolean) : list('allowed-tools')

  const extra: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(raw)) if (!KNOWN_KEYS.has(key)) extra[key] = value

  const license = text('license')
  return {
    metadata: {
      id,
      name,
      description,
      tags: list('tags'),
      examples: list('examples'),
      runtime,
      ...(license ? { license } : {}),
      ...(compatibility ? { compatibility } : {}),
      metadata,
      allowedTools,
      disableModelInvocation: raw['disable-model-invocation'] === true,
      extra,
    },
    problems,
  }
}
