import { readFile } from 'node:fs/promises'
import { basename, join, resolve } from 'node:path'
import type { DependencyScanner } from './dependency-scan.js'
import { parseSkillMd } from './frontmatter.js'
import { type SkillProblem, skillProblem } from './problems.js'
import { frontmatterDeclarations } from './script-declarations.js'
import { SCRIPT_TOOL_DEFAULTS, type ScriptToolDefaults } from './script-tools.js'
import { listSkillFiles, skillFingerprint } from './skill-files.js'
import { readSkillMetadata, type SkillMetadata } from './skill-metadata.js'
import type { SkillTool } from './skill-tool.js'
import { loadSkillTools } from './skill-tools.js'

/** A loaded skill: its metadata, its instructions, its tools and what was wrong with it. */
export interface LoadedSkill extends SkillMetadata {
  /** The body of SKILL.md, trimmed. */
  instructions: string
  /** The skill folder (absolute). */
  dir: string
  tools: SkillTool[]
  /** The folder's other files, relative (`references/api.md` …): what the agent may read once it uses the skill. */
  files: string[]
  /** Warnings, and errors of the parts that did not load (a tool). */
  problems: SkillProblem[]
  /** Equal fingerprints: the same SKILL.md, scripts, manifests and file list. */
  fingerprint: string
  /** Where a library found it: `workspace` or `plugin:<name>`. */
  origin?: string
}

export interface LoadSkillOptions {
  /** Default: the folder name. */
  id?: string
  /** The environment script tools' own is built from (allow-listed); default `process.env`. */
  env?: Readonly<Record<string, string | undefined>>
  scriptDefaults?: Partial<ScriptToolDefaults>
  /** Scans dependency manifests first; none: no scan. */
  scanner?: DependencyScanner
}

/** `skill` when it loaded (maybe with problems in some of its parts); none when it was refused. */
export interface SkillLoad {
  skill?: LoadedSkill
  problems: SkillProblem[]
}

/**
 * Loads the skill in folder `dir`. Refused (no `skill`): no readable SKILL.md, frontmatter that is not YAML even with
 * its unquoted colons quoted, a dependency scan that blocks it. Anything else loads: a tool that fails is left out
 * with an error, a surprising field is a warning. Never throws for a bad skill.
 */
export async function loadSkill(dir: string, options: LoadSkillOptions = {}): Promise<SkillLoad> {
  const folder = resolve(dir)
  const id = options.id ?? basename(folder)
  let text: string
  try {
    text = await readFile(join(folder, 'SKILL.md'), 'utf8')
  } catch {
    return { problems: [skillProblem('error', id, 'SKILL.md', `not found in ${folder}; refused.`)] }
  }
  const parsed = parseSkillMd(text)
  if (parsed.error) {
    return {
      problems: [
        skillProblem('error', id, 'SKILL.md', `frontmatter is not valid YAML (${parsed.error}); refused.`),
      ],
    }
  }
  const problems: SkillProblem[] = []
  if (!parsed.hasFrontmatter) {
    problems.push(
      skillProblem(
        'warning',
        id,
        'SKILL.md',
        'has no frontmatter (--- name, description ---); named after its folder.',
      ),
    )
  }
  if (parsed.quotedColons) {
    problems.push(
      skillProblem(
        'warning',
        id,
        'SKILL.md',
        'values with an unquoted ": " were read as quoted; quote them.',
      ),
    )
  }
  const { metadata, problems: metadataProblems } = readSkillMetadata(id, parsed.metadata)
  problems.push(...metadataProblems)

  if (options.scanner) {
    const scanned = await options.scanner.scan(id, folder)
    problems.push(...scanned.problems)
    if (scanned.problems.some((p) => p.level === 'error')) return { problems }
  }

  const declared = frontmatterDeclarations(id, parsed.metadata.tools)
  problems.push(...declared.problems)
  const { tools, problems: toolProblems } = await loadSkillTools(id, folder, declared.declarations, {
    defaults: { ...SCRIPT_TOOL_DEFAULTS, ...options.scriptDefaults },
    env: options.env ?? process.env,
  })
  problems.push(...toolProblems)
  const files = await listSkillFiles(folder)
  return {
    skill: {
      ...metadata,
      instructions: parsed.body,
      dir: folder,
      tools,
      files,
      problems,
      fingerprint: await skillFingerprint(folder, text, files),
    },
    problems,
  }
}
