import { z } from 'zod'
import type { LoadedSkill } from './load-skill.js'
import { type SkillTool, skillTool } from './skill-tool.js'

export const ACTIVATE_SKILL_TOOL = 'activate_skill'

const MAX_FILES_SHOWN = 50

/** What `activate_skill` answers: the skill's instructions, where its files are, which tools it brought. */
export function activationText(skill: LoadedSkill): string {
  const files = skill.files.slice(0, MAX_FILES_SHOWN)
  const more = skill.files.length > files.length ? ` (and ${skill.files.length - files.length} more)` : ''
  return [
    `<skill_content name="${skill.id}">`,
    `# ${skill.name}`,
    skill.instructions || '(this skill has no instructions beyond its description)',
    '',
    `Skill folder: ${skill.dir} (relative paths above are relative to it).`,
    ...(files.length > 0 ? [`Files: ${files.join(', ')}${more}`] : []),
    ...(skill.tools.length > 0
      ? [`Tools from this skill: ${skill.tools.map((t) => t.name).join(', ')}`]
      : []),
    '</skill_content>',
  ].join('\n')
}

/**
 * The built-in tool that hands the agent a skill's full instructions when it decides to use the skill (progressive
 * disclosure: the prompt carries only the catalog). Its `name` argument is the enum of the model-invocable skills'
 * ids; undefined when there is none, so an agent without skills never sees the tool.
 */
export function activateSkillTool(skills: readonly LoadedSkill[]): SkillTool | undefined {
  const invocable = skills.filter((s) => !s.disableModelInvocation)
  const [first, ...rest] = invocable.map((s) => s.id)
  if (first === undefined) return undefined
  const byId = new Map(invocable.map((s) => [s.id, s]))
  return skillTool(
    {
      name: ACTIVATE_SKILL_TOOL,
      description:
        'Load the full instructions of one of your skills (listed under "Your Skills"). Call it as soon as a task ' +
        'matches a skill, before doing the task, and follow what it returns.',
      input: z.object({
        name: z.enum([first, ...rest]).describe('The skill id, as listed under "Your Skills".'),
      }),
      origin: { skill: '', file: '', kind: 'module' },
    },
    (_ctx, input) => {
      const skill = byId.get((input as { name: string }).name)
      if (!skill) return { text: 'Error: no such skill', isError: true }
      return { text: activationText(skill), data: { id: skill.id, dir: skill.dir, files: skill.files } }
    },
  )
}
