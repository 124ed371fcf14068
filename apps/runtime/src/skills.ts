import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { SkillSummary } from '@molecule/adapter-core'
import type { Logger } from '@molecule/core'
import { parse } from 'yaml'

/** One workspace skill as the runtime uses it: card entry + prompt instructions. */
export interface LoadedSkill extends SkillSummary {
  tags: string[]
  examples: string[]
  /** Adapter names the skill is for; `['*']` = any. */
  runtime: string[]
}

function stringList(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : []
}

/**
 * Splits a SKILL.md into frontmatter and body: a leading `---` line and a second `---` delimit YAML metadata;
 * otherwise the whole file is the body. Malformed YAML or a non-map is empty metadata (the runtime is tolerant).
 */
export function parseSkillMd(text: string): {
  metadata: Record<string, unknown>
  body: string
  error?: string
} {
  const lines = text.split(/\r?\n/)
  if (lines[0]?.trim() !== '---') return { metadata: {}, body: text.trim() }
  const end = lines.findIndex((line, i) => i > 0 && line.trim() === '---')
  if (end < 0) return { metadata: {}, body: text.trim() }
  const body = lines
    .slice(end + 1)
    .join('\n')
    .trim()
  try {
    const parsed: unknown = parse(lines.slice(1, end).join('\n'))
    if (parsed === null || parsed === undefined) return { metadata: {}, body }
    if (typeof parsed !== 'object' || Array.isArray(parsed)) {
      return { metadata: {}, body, error: 'frontmatter is not a map' }
    }
    return { metadata: parsed as Record<string, unknown>, body }
  } catch (err) {
    return { metadata: {}, body, error: (err as Error).message }
  }
}

function runtimeList(value: unknown): string[] | undefined {
  if (value === undefined || value === null) return ['*']
  if (typeof value === 'string') return value.trim() ? [value.trim()] : ['*']
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) {
    return value.length > 0 ? (value as string[]) : ['*']
  }
  return undefined
}

/**
 * Loads the skills named in config.yaml `skills` from `<configDir>/skills/<name>/SKILL.md`, in order:
 * id = folder name, `name` (default the folder), `description`, `tags`, `examples`, `runtime` filter (a skill for
 * another adapter is skipped), body = instructions. A missing SKILL.md was already reported by preflight and is
 * skipped. Skill scripts (tools) are not loaded by this runtime.
 */
export async function loadSkills(
  configDir: string,
  names: readonly string[],
  currentRuntime: string,
  log: Logger,
): Promise<LoadedSkill[]> {
  const skills: LoadedSkill[] = []
  for (const id of names) {
    const file = join(configDir, 'skills', id, 'SKILL.md')
    let text: string
    try {
      text = await readFile(file, 'utf8')
    } catch {
      log.warn({ skill: id, file }, 'skill has no readable SKILL.md; skipped')
      continue
    }
    const { metadata, body, error } = parseSkillMd(text)
    if (error) log.warn({ skill: id, err: error }, 'SKILL.md frontmatter ignored')
    let runtime = runtimeList(metadata.runtime)
    if (!runtime) {
      log.warn({ skill: id }, 'SKILL.md runtime must be a name or a list of names; treated as "*"')
      runtime = ['*']
    }
    if (!runtime.includes('*') && !runtime.includes(currentRuntime)) {
      log.info({ skill: id, runtime, currentRuntime }, 'skill is for another runtime; skipped')
      continue
    }
    skills.push({
      id,
      name: typeof metadata.name === 'string' && metadata.name.trim() ? metadata.name.trim() : id,
      description: typeof metadata.description === 'string' ? metadata.description : '',
      tags: stringList(metadata.tags),
      examples: stringList(metadata.examples),
      runtime,
      ...(body ? { instructions: body } : {}),
    })
  }
  return skills
}
