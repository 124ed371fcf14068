import type { Dirent } from 'node:fs'
import { readdir, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { moduleTools } from './module-tools.js'
import { realPathInside } from './paths.js'
import { type SkillProblem, skillProblem } from './problems.js'
import { type ScriptDeclaration, sidecarDeclaration } from './script-declarations.js'
import { type ScriptToolDefaults, scriptTool } from './script-tools.js'
import type { SkillTool } from './skill-tool.js'

const JS_MODULE = /\.(?:js|mjs|cjs)$/i

export interface SkillToolsOptions {
  defaults: ScriptToolDefaults
  env: Readonly<Record<string, string | undefined>>
}

/**
 * The tools of a skill's `scripts/`, in file-name order: declared scripts (SKILL.md `tools:` or a `<script>.json`
 * sidecar) run as programs, other `.js`/`.mjs`/`.cjs` files are imported as modules exporting tool definitions.
 * Files starting with `_` or `.` are skipped (helpers), `.json` files are sidecars or data, anything else is not a
 * tool. Every file must resolve inside the skill folder. A broken file is a problem; the others still load.
 */
export async function loadSkillTools(
  skill: string,
  dir: string,
  declared: readonly ScriptDeclaration[],
  options: SkillToolsOptions,
): Promise<{ tools: SkillTool[]; problems: SkillProblem[] }> {
  const scriptsDir = join(dir, 'scripts')
  const problems: SkillProblem[] = []
  const tools: SkillTool[] = []
  let entries: Dirent[] = []
  try {
    entries = await readdir(scriptsDir, { withFileTypes: true })
  } catch {
    // No scripts/ folder: declared scripts are reported missing below.
  }
  const byScript = new Map(declared.map((d) => [d.script, d]))
  const files = entries
    .filter((e) => (e.isFile() || e.isSymbolicLink()) && !e.name.startsWith('_') && !e.name.startsWith('.'))
    .map((e) => e.name)
  const names = [...new Set([...files, ...byScript.keys()])].sort()

  const add = (tool: SkillTool | undefined, more: readonly SkillProblem[]) => {
    problems.push(...more)
    if (!tool) return
    const taken = tools.find((t) => t.name === tool.name)
    if (taken) {
      problems.push(
        skillProblem(
          'error',
          skill,
          tool.origin.file,
          `tool name "${tool.name}" is taken by ${taken.origin.file}.`,
        ),
      )
      return
    }
    tools.push(tool)
  }

  for (const name of names) {
    if (name.endsWith('.json') && !byScript.has(name)) continue
    const rel = `scripts/${name}`
    const declaration = byScript.get(name) ?? (await sidecar(skill, scriptsDir, name, problems))
    if (declaration) {
      const { tool, problems: more } = await scriptTool(skill, dir, declaration, options)
      add(tool, more)
      continue
    }
    if (!JS_MODULE.test(name)) continue
    let real: string | undefined
    try {
      real = await realPathInside(dir, join(dir, rel))
    } catch {
      problems.push(skillProblem('error', skill, rel, 'cannot be read (a broken symlink?).'))
      continue
    }
    if (!real) {
      problems.push(
        skillProblem('error', skill, rel, 'leads outside the skill folder (a symlink or ..); refused.'),
      )
      continue
    }
    if (!(await stat(real)).isFile()) continue
    const loaded = await moduleTools(skill, real, rel)
    problems.push(...loaded.problems)
    for (const tool of loaded.tools) add(tool, [])
  }
  return { tools, problems }
}

async function sidecar(
  skill: string,
  scriptsDir: string,
  script: string,
  problems: SkillProblem[],
): Promise<ScriptDeclaration | undefined> {
  const found = await sidecarDeclaration(skill, scriptsDir, script)
  problems.push(...found.problems)
  return found.declaration
}
