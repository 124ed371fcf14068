import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { describeProblem, loadSkill } from '../src/index.js'
import { skillMd, skillsTree } from './fixtures.js'

let tree: Awaited<ReturnType<typeof skillsTree>>
beforeEach(async () => {
  tree = await skillsTree()
})
afterEach(() => tree.cleanup())

const messages = (problems: { level: string }[]) =>
  problems.map((p) => `${p.level} ${describeProblem(p as never)}`)

describe('loadSkill: the documented cases of SKILL.md', () => {
  it('no frontmatter: loads, named after its folder, whole file as instructions, a warning naming SKILL.md', async () => {
    await tree.write('plain/SKILL.md', '# Plain\nJust text.\n')
    const { skill, problems } = await loadSkill(`${tree.root}/plain`)
    expect(skill).toMatchObject({
      id: 'plain',
      name: 'plain',
      description: '',
      instructions: '# Plain\nJust text.',
    })
    expect(messages(problems)).toContain(
      'warning plain/SKILL.md: has no frontmatter (--- name, description ---); named after its folder.',
    )
  })

  it('malformed YAML: refused, the message names SKILL.md and the line', async () => {
    await tree.write('broken/SKILL.md', skillMd('name: broken\ndescription: [unclosed'))
    const { skill, problems } = await loadSkill(`${tree.root}/broken`)
    expect(skill).toBeUndefined()
    expect(problems).toHaveLength(1)
    expect(describeProblem(problems[0]!)).toMatch(
      /^broken\/SKILL\.md: frontmatter is not valid YAML \(line \d+: .+\); refused\.$/,
    )
  })

  it('unquoted colons: read as quoted (as agent-skills clients do), with a warning', async () => {
    await tree.write(
      'colons/SKILL.md',
      skillMd('name: colons\ndescription: Use when: the user asks: anything'),
    )
    const { skill, problems } = await loadSkill(`${tree.root}/colons`)
    expect(skill?.description).toBe('Use when: the user asks: anything')
    expect(messages(problems)).toContain(
      'warning colons/SKILL.md: values with an unquoted ": " were read as quoted; quote them.',
    )
  })

  it('a name that differs from the folder: loads under the folder name, with a warning', async () => {
    await tree.write('api-design/SKILL.md', skillMd('name: api-designer\ndescription: Designs APIs.'))
    const { skill, problems } = await loadSkill(`${tree.root}/api-design`)
    expect(skill).toMatchObject({ id: 'api-design', name: 'api-designer' })
    expect(messages(problems)).toContain(
      'warning api-design/SKILL.md: name "api-designer" differs from the folder name "api-design"; the skill\'s id stays "api-design".',
    )
  })

  it('a missing description: loads, with a warning that says what to write', async () => {
    await tree.write('nodesc/SKILL.md', skillMd('name: nodesc'))
    const { skill, problems } = await loadSkill(`${tree.root}/nodesc`)
    expect(skill?.description).toBe('')
    expect(messages(problems).join('\n')).toMatch(/warning nodesc\/SKILL\.md: no description/)
  })

  it('extra keys (origin, metadata) and extra folders (agents/, references/) load without a problem', async () => {
    await tree.write(
      'code-review/SKILL.md',
      skillMd(
        'name: code-review\ndescription: Reviews code.\norigin: ECC\nversion: 1.2.0\nlicense: MIT\nmetadata:\n  author: org\n  level: 3\nallowed-tools: Read Grep\nruntime: claude-code',
      ),
    )
    await tree.write('code-review/agents/openai.yaml', 'interface:\n  display_name: Code review\n')
    await tree.write('code-review/references/checklist.md', '- tests\n')
    await tree.write('code-review/scripts/lint.sh', '#!/bin/sh\necho ok\n', 0o755)
    const { skill, problems } = await loadSkill(`${tree.root}/code-review`)
    expect(problems).toEqual([])
    expect(skill).toMatchObject({
      id: 'code-review',
      license: 'MIT',
      metadata: { author: 'org', level: '3' },
      allowedTools: ['Read', 'Grep'],
      runtime: ['claude-code'],
      extra: { origin: 'ECC', version: '1.2.0' },
      files: ['agents/openai.yaml', 'references/checklist.md', 'scripts/lint.sh'],
      tools: [],
    })
  })

  it('runtime sugar: a string, an empty list and * all read as lists', async () => {
    for (const [value, expected] of [
      ['runtime: echo', ['echo']],
      ['runtime: []', ['*']],
      ["runtime: '*'", ['*']],
      ['runtime: [echo, cli]', ['echo', 'cli']],
    ] as const) {
      await tree.write('rt/SKILL.md', skillMd(`description: d\n${value}`))
      expect((await loadSkill(`${tree.root}/rt`)).skill?.runtime).toEqual(expected)
    }
  })

  it('no SKILL.md: refused, naming the folder', async () => {
    await tree.write('empty/notes.md', 'x')
    const { skill, problems } = await loadSkill(`${tree.root}/empty`)
    expect(skill).toBeUndefined()
    expect(describeProblem(problems[0]!)).toMatch(/^empty\/SKILL\.md: not found in .*empty; refused\.$/)
  })
})
