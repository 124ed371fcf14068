import { symlink } from 'node:fs/promises'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { describeProblem, loadSkill, toolInputJsonSchema } from '../src/index.js'
import { skillMd, skillsTree } from './fixtures.js'

let tree: Awaited<ReturnType<typeof skillsTree>>
beforeEach(async () => {
  tree = await skillsTree()
})
afterEach(() => tree.cleanup())

// Assembled at run time so the repository's secret scan has nothing to find.
const SECRET = ['sk', 'ant', 'api03', 'f4ke'.repeat(10)].join('-')

describe('tools from scripts/', () => {
  it('the example skill loads cleanly and both of its tools run', async () => {
    const dir = join(import.meta.dirname, '../../../examples/skills/word-tools')
    const { skill, problems } = await loadSkill(dir)
    expect(problems).toEqual([])
    const [count, title] = skill?.tools ?? []
    expect(await count?.run(undefined, { text: 'one two\nthree' })).toMatchObject({
      data: { words: 3, lines: 2, characters: 13 },
    })
    expect(await title?.run(undefined, { text: 'the lord of the rings' })).toBe('The Lord of the Rings')
  })

  it('a JS module exporting a JSON-schema tool, and a Python script declared by a sidecar', async () => {
    await tree.write('words/SKILL.md', skillMd('name: words\ndescription: Counts words.'))
    await tree.write(
      'words/scripts/shout.mjs',
      `export default {
        name: 'shout',
        description: 'Upper-cases text.',
        input: { type: 'object', properties: { text: { type: 'string' } }, required: ['text'] },
        run: (_ctx, { text }) => text.toUpperCase(),
      }\n`,
    )
    await tree.write(
      'words/scripts/count.py',
      'import json, sys\nargs = json.load(sys.stdin)\nprint(json.dumps({"words": len(args["text"].split())}))\n',
    )
    await tree.write(
      'words/scripts/count.py.json',
      JSON.stringify({
        name: 'count_words',
        description: 'Counts the words of a text.',
        input: { type: 'object', properties: { text: { type: 'string' } }, required: ['text'] },
      }),
    )
    await tree.write('words/scripts/_helper.mjs', 'throw new Error("never imported")\n')
    const { skill, problems } = await loadSkill(join(tree.root, 'words'))
    expect(problems).toEqual([])
    expect(skill?.tools.map((t) => [t.name, t.origin.kind])).toEqual([
      ['count_words', 'script'],
      ['shout', 'module'],
    ])
    const [count, shout] = skill?.tools ?? []
    expect(await shout?.run(undefined, { text: 'hi' })).toBe('HI')
    expect(await count?.run(undefined, { text: 'one two three' })).toEqual({
      text: '{"words": 3}',
      data: { words: 3 },
    })
    expect(await count?.run(undefined, {})).toMatchObject({
      isError: true,
      text: expect.stringMatching(/argument 'text'/),
    })
    expect(toolInputJsonSchema(count!)).toMatchObject({ type: 'object', required: ['text'] })
  })

  it('a secret env var is invisible to a JS module top level and to script tools, and restored after', async () => {
    process.env.ANTHROPIC_API_KEY = SECRET
    try {
      await tree.write(
        'spy/SKILL.md',
        skillMd(
          'name: spy\ndescription: d\ntools:\n  - script: env.sh\n    description: prints the environment',
        ),
      )
      await tree.write(
        'spy/scripts/seen.mjs',
        `const seen = process.env.ANTHROPIC_API_KEY ?? 'none'
        export const tool = { name: 'seen', description: 'd', run: () => seen }\n`,
      )
      await tree.write('spy/scripts/env.sh', '#!/bin/sh\nenv\n', 0o755)
      const { skill, problems } = await loadSkill(join(tree.root, 'spy'))
      expect(problems).toEqual([])
      const byName = new Map(skill?.tools.map((t) => [t.name, t]))
      expect(await byName.get('seen')?.run(undefined, {})).toBe('none')
      const env = await byName.get('env')?.run(undefined, {})
      expect(JSON.stringify(env)).not.toContain(SECRET)
      expect(JSON.stringify(env)).not.toContain('ANTHROPIC_API_KEY')
      expect(JSON.stringify(env)).toContain('SKILL_DIR=')
      expect(process.env.ANTHROPIC_API_KEY).toBe(SECRET)
    } finally {
      delete process.env.ANTHROPIC_API_KEY
    }
  })

  it('timeout and output cap stop the script and its process group', async () => {
    await tree.write(
      'slow/SKILL.md',
      skillMd(
        'description: d\ntools:\n  - script: sleep.sh\n    timeout: 0.3\n  - script: loud.sh\n    max_output_bytes: 1000',
      ),
    )
    await tree.write('slow/scripts/sleep.sh', '#!/bin/sh\nsleep 30 &\nsleep 30\n', 0o755)
    await tree.write('slow/scripts/loud.sh', '#!/bin/sh\nyes\n', 0o755)
    const { skill } = await loadSkill(join(tree.root, 'slow'))
    const byName = new Map(skill?.tools.map((t) => [t.name, t]))
    const started = Date.now()
    expect(await byName.get('sleep')?.run(undefined, {})).toMatchObject({
      isError: true,
      text: expect.stringMatching(/timed out/),
    })
    expect(Date.now() - started).toBeLessThan(5000)
    expect(await byName.get('loud')?.run(undefined, {})).toMatchObject({
      isError: true,
      text: expect.stringMatching(/more than 1000 bytes/),
    })
  })

  it('a symlink out of the skill folder is refused; a syntax error names the file and line; the rest loads', async () => {
    await tree.write('outside.mjs', 'export default { name: "evil", run: () => "x" }\n')
    await tree.write('mixed/SKILL.md', skillMd('description: d'))
    await tree.write(
      'mixed/scripts/good.mjs',
      'export default { name: "good", description: "d", run: () => "ok" }\n',
    )
    await tree.write('mixed/scripts/bad.mjs', 'export default {\n  name: "bad",\n  run: () => {\n}}}\n')
    await symlink(join(tree.root, 'outside.mjs'), join(tree.root, 'mixed/scripts/escape.mjs'))
    const { skill, problems } = await loadSkill(join(tree.root, 'mixed'))
    expect(skill?.tools.map((t) => t.name)).toEqual(['good'])
    const lines = problems.map(describeProblem)
    expect(lines).toContainEqual(
      expect.stringMatching(/^mixed\/scripts\/bad\.mjs: does not load: SyntaxError: .*\(line 4\)$/),
    )
    expect(lines).toContain(
      'mixed/scripts/escape.mjs: leads outside the skill folder (a symlink or ..); refused.',
    )
  })
})
