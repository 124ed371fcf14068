import { rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { recordingLogger, until } from '@molecule/test-support'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { type SkillAuditEvent, SkillLibrary } from '../src/index.js'
import { type SkillsChange, SkillsWatcher } from '../src/watch/index.js'
import { skillMd, skillsTree } from './fixtures.js'

let tree: Awaited<ReturnType<typeof skillsTree>>
let watcher: SkillsWatcher | undefined
beforeEach(async () => {
  tree = await skillsTree()
})
afterEach(async () => {
  await watcher?.close()
  watcher = undefined
  await tree.cleanup()
})

const tool = (name: string) => `export default { name: '${name}', description: 'd', run: () => '${name}' }\n`

describe('SkillLibrary and SkillsWatcher', () => {
  it('reloads an edit, keeps the last good version on a broken script, picks up a skill added to config', async () => {
    await tree.write('skills/alpha/SKILL.md', skillMd('name: alpha\ndescription: First.'))
    await tree.write('skills/alpha/scripts/one.mjs', tool('one'))
    await tree.write('skills/beta/SKILL.md', skillMd('name: beta\ndescription: Second.'))
    const log = recordingLogger()
    const audit: SkillAuditEvent[] = []
    let names = ['alpha']
    const library = await SkillLibrary.open({
      configDir: tree.root,
      names,
      logger: log,
      onAudit: (e) => audit.push(e),
      runtime: 'echo',
    })
    expect(library.skills.map((s) => s.id)).toEqual(['alpha'])
    const changes: SkillsChange[] = []
    watcher = new SkillsWatcher({
      library,
      roots: [join(tree.root, 'skills')],
      configFile: join(tree.root, 'config.yaml'),
      readNames: async () => names,
      debounceMs: 30,
      onChange: (c) => {
        changes.push(c)
      },
      logger: log,
    })
    await tree.write('config.yaml', 'skills: [alpha]\n')
    await watcher.start()

    await tree.write('skills/alpha/SKILL.md', skillMd('name: alpha\ndescription: First, edited.'))
    await until(() => changes.length === 1, 5000, 'the edit reloaded')
    expect(changes[0]?.skills[0]?.description).toBe('First, edited.')
    expect(audit.at(-1)).toMatchObject({
      event_type: 'skill_reload',
      action: 'reload',
      resource: 'alpha',
      outcome: 'success',
      changed_files: ['SKILL.md'],
      tool_count: 1,
    })

    await tree.write('skills/alpha/scripts/two.mjs', tool('two'))
    await until(() => changes.length === 2, 5000, 'the new script reloaded')
    expect(changes[1]?.skills[0]?.tools.map((t) => t.name)).toEqual(['one', 'two'])

    const errorsBefore = log.at('error').length
    await tree.write('skills/alpha/scripts/two.mjs', 'export default {\n')
    await until(() => audit.some((e) => e.outcome === 'failure'), 5000, 'the failure audited')
    await watcher.settled()
    expect(changes).toHaveLength(2)
    expect(library.skills[0]?.tools.map((t) => t.name)).toEqual(['one', 'two'])
    const errors = log.at('error').slice(errorsBefore)
    expect(errors).toHaveLength(1)
    expect(errors[0]?.msg).toMatch(
      /^skill reload failed \(the previous version keeps serving\): alpha\/scripts\/two\.mjs: does not load: SyntaxError/,
    )

    names = ['alpha', 'beta']
    await writeFile(join(tree.root, 'config.yaml'), 'skills: [alpha, beta]\n')
    await until(() => changes.length === 3, 5000, 'the added skill loaded')
    expect(changes[2]?.skills.map((s) => s.id)).toEqual(['alpha', 'beta'])
    expect(changes[2]?.outcome.added).toEqual(['beta'])

    await rm(join(tree.root, 'skills/beta'), { recursive: true })
    await until(() => changes.length === 4, 5000, 'the removed skill dropped')
    expect(changes[3]?.skills.map((s) => s.id)).toEqual(['alpha'])
  })

  it('a skills folder created after the start is watched too', async () => {
    await tree.write('config.yaml', 'skills: []\n')
    let names: string[] = []
    const library = await SkillLibrary.open({ configDir: tree.root, names })
    const changes: SkillsChange[] = []
    watcher = new SkillsWatcher({
      library,
      roots: [join(tree.root, 'skills')],
      configFile: join(tree.root, 'config.yaml'),
      readNames: async () => names,
      debounceMs: 30,
      onChange: (c) => {
        changes.push(c)
      },
    })
    await watcher.start()
    await tree.write('skills/late/SKILL.md', skillMd('description: Late.'))
    names = ['late']
    await writeFile(join(tree.root, 'config.yaml'), 'skills: [late]\n')
    await until(() => changes.length === 1, 5000, 'the new skill loaded')
    await new Promise((r) => setTimeout(r, 100))
    await tree.write('skills/late/SKILL.md', skillMd('description: Later.'))
    await until(
      () => changes.at(-1)?.skills[0]?.description === 'Later.',
      5000,
      'the edit in the new folder seen',
    )
  })

  it('plugin skill folders: every sub-folder loads, the workspace skill of the same id wins and the shadowing is logged', async () => {
    await tree.write('skills/review/SKILL.md', skillMd('description: Workspace review.'))
    await tree.write('plugins/ecc/skills/review/SKILL.md', skillMd('description: Plugin review.'))
    await tree.write('plugins/ecc/skills/tdd/SKILL.md', skillMd('description: Tests first.', ''))
    const log = recordingLogger()
    const library = await SkillLibrary.open({
      configDir: tree.root,
      names: ['review'],
      pluginSkillDirs: [{ plugin: 'ecc', dir: join(tree.root, 'plugins/ecc/skills') }],
      logger: log,
    })
    expect(library.skills.map((s) => [s.id, s.description, s.origin])).toEqual([
      ['review', 'Workspace review.', 'workspace'],
      ['tdd', 'Tests first.', 'plugin:ecc'],
    ])
    expect(log.lines.map((l) => l.msg)).toContain(
      'skill "review" of plugin:ecc is shadowed by the workspace skill of the same id',
    )
  })

  it("setPluginSkillDirs: a new plugin's skills load, a removed plugin's go", async () => {
    await tree.write('plugins/ecc/skills/tdd/SKILL.md', skillMd('description: Tests first.'))
    await tree.write('plugins/docs/skills/writer/SKILL.md', skillMd('description: Writes docs.'))
    const ecc = { plugin: 'ecc', dir: join(tree.root, 'plugins/ecc/skills') }
    const docs = { plugin: 'docs', dir: join(tree.root, 'plugins/docs/skills') }
    const library = await SkillLibrary.open({ configDir: tree.root, names: [], pluginSkillDirs: [ecc] })
    expect(library.skills.map((s) => s.id)).toEqual(['tdd'])
    const added = await library.setPluginSkillDirs([ecc, docs])
    expect(added).toMatchObject({ added: ['writer'], removed: [], changed: true })
    const removed = await library.setPluginSkillDirs([docs])
    expect(removed).toMatchObject({ added: [], removed: ['tdd'], changed: true })
    expect(library.skills.map((s) => [s.id, s.origin])).toEqual([['writer', 'plugin:docs']])
    expect((await library.setPluginSkillDirs([docs])).changed).toBe(false)
  })

  it('a skill for another runtime is skipped', async () => {
    await tree.write('skills/only-cli/SKILL.md', skillMd('description: d\nruntime: cli'))
    const library = await SkillLibrary.open({ configDir: tree.root, names: ['only-cli'], runtime: 'echo' })
    expect(library.skills).toEqual([])
  })
})
