import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import {
  activateSkillTool,
  type LoadedSkill,
  SkillLibrary,
  skillCatalog,
  skillToolset,
} from '../src/index.js'
import { skillMd, skillsTree } from './fixtures.js'

let tree: Awaited<ReturnType<typeof skillsTree>>
let skills: LoadedSkill[]
beforeEach(async () => {
  tree = await skillsTree()
  await tree.write('skills/api-design/SKILL.md', skillMd('description: Designs HTTP APIs.', 'Use nouns.'))
  await tree.write('skills/api-design/references/rest.md', 'REST')
  await tree.write(
    'skills/careful-mode/SKILL.md',
    skillMd(`description: ${'Be careful. '.repeat(40)}`, 'Go slow.'),
  )
  await tree.write(
    'skills/hidden/SKILL.md',
    skillMd('description: Only for users.\ndisable-model-invocation: true'),
  )
  await tree.write(
    'skills/hidden/scripts/t.mjs',
    "export default { name: 'lookup', description: 'd', run: () => 'x' }\n",
  )
  const library = await SkillLibrary.open({
    configDir: tree.root,
    names: ['api-design', 'careful-mode', 'hidden'],
  })
  skills = library.skills
})
afterEach(() => tree.cleanup())

describe('catalog and activate_skill', () => {
  it('catalog mode lists names and descriptions of model-invocable skills; full mode inlines bodies', () => {
    const catalog = skillCatalog(skills)
    expect(catalog.entries.map((e) => [e.id, e.instructions])).toEqual([
      ['api-design', undefined],
      ['careful-mode', undefined],
    ])
    expect(skillCatalog(skills, { mode: 'full' }).entries[0]?.instructions).toBe('Use nouns.')
  })

  it('the cap shortens descriptions first, then drops skills from the end', () => {
    const shortened = skillCatalog(skills, { maxChars: 300 })
    expect(shortened.shortened).toEqual(['careful-mode'])
    expect(shortened.dropped).toEqual([])
    expect(shortened.entries[1]?.description.length).toBeLessThanOrEqual(300)
    expect(shortened.entries[1]?.description.endsWith('…')).toBe(true)
    const dropped = skillCatalog(skills, { maxChars: 120 })
    expect(dropped.dropped).toEqual(['careful-mode'])
  })

  it('activate_skill takes the enum of skill ids and returns the instructions with the folder and files', async () => {
    const tool = activateSkillTool(skills)
    expect(tool?.name).toBe('activate_skill')
    const result = await tool?.run(undefined, { name: 'api-design' })
    expect(typeof result === 'object' && result.text).toMatch(
      /<skill_content name="api-design">[\s\S]*Use nouns\.[\s\S]*Files: references\/rest\.md/,
    )
    expect(await tool?.run(undefined, { name: 'hidden' })).toMatchObject({ isError: true })
    expect(activateSkillTool([])).toBeUndefined()
  })

  it('the toolset: activate_skill first in catalog mode, a reserved name left out with a warning', () => {
    const { tools, problems } = skillToolset(skills, { reserved: ['lookup'] })
    expect(tools.map((t) => t.name)).toEqual(['activate_skill'])
    expect(problems[0]?.message).toBe('tool "lookup" is left out: a built-in tool has that name.')
    expect(skillToolset(skills, { mode: 'full' }).tools.map((t) => t.name)).toEqual(['lookup'])
  })
})
