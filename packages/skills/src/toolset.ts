import { activateSkillTool } from './activate-skill.js'
import type { SkillPromptMode } from './catalog.js'
import type { LoadedSkill } from './load-skill.js'
import { type SkillProblem, skillProblem } from './problems.js'
import type { SkillTool } from './skill-tool.js'

/**
 * Every tool the skills bring, in skill order, plus `activate_skill` in catalog mode. A name already taken (by a
 * name in `reserved`, such as the built-in tools, or by an earlier skill) is left out with a warning.
 */
export function skillToolset(
  skills: readonly LoadedSkill[],
  options: { mode?: SkillPromptMode; reserved?: readonly string[] } = {},
): { tools: SkillTool[]; problems: SkillProblem[] } {
  const taken = new Map<string, string>((options.reserved ?? []).map((n) => [n, 'a built-in tool']))
  const tools: SkillTool[] = []
  const problems: SkillProblem[] = []
  const activate = (options.mode ?? 'catalog') === 'catalog' ? activateSkillTool(skills) : undefined
  if (activate) {
    taken.set(activate.name, 'the activate_skill tool')
    tools.push(activate)
  }
  for (const skill of skills) {
    for (const tool of skill.tools) {
      const owner = taken.get(tool.name)
      if (owner) {
        problems.push(
          skillProblem(
            'warning',
            skill.id,
            tool.origin.file,
            `tool "${tool.name}" is left out: ${owner} has that name.`,
          ),
        )
        continue
      }
      taken.set(tool.name, `skill ${skill.id}`)
      tools.push(tool)
    }
  }
  return { tools, problems }
}
