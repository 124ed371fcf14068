import { mkdir, mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { silentLogger } from '@molecule/core'
import { describe, expect, it } from 'vitest'
import { loadSkills, parseSkillMd } from './skills.js'

const log = silentLogger

describe('parseSkillMd', () => {
  it('splits frontmatter from the body', () => {
    expect(parseSkillMd('---\nname: Sum\ntags: [text]\n---\n\nCondense it.\n')).toEqual({
      metadata: { name: 'Sum', tags: ['text'] },
      body: 'Condense it.',
    })
  })

  it('treats a file without two delimiters as body only', () => {
    expect(parseSkillMd('Just do it.')).toEqual({ metadata: {}, body: 'Just do it.' })
    expect(parseSkillMd('---\nname: x\nno end')).toEqual({ metadata: {}, body: '---\nname: x\nno end' })
  })

  it('tolerates malformed or non-map frontmatter', () => {
    const bad = parseSkillMd('---\nname: [unclosed\n---\nbody')
    expect(bad.metadata).toEqual({})
    expect(bad.body).toBe('body')
    expect(bad.error).toBeTruthy()
    expect(parseSkillMd('---\n- a\n- b\n---\nbody')).toMatchObject({
      metadata: {},
      error: 'frontmatter is not a map',
    })
  })
})

describe('loadSkills', () => {
  it('loads the listed skills in order, id = folder, filtered by runtime', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'skills-'))
    const skill = async (id: string, text: string) => {
      await mkdir(join(dir, 'skills', id), { recursive: true })
      await writeFile(join(dir, 'skills', id, 'SKILL.md'), text)
    }
    await skill(
      'summarise',
      '---\nname: Summarise\ndescription: Condense\ntags: [text]\nexamples: [sum this]\n---\nKeep it short.',
    )
    await skill('plain', 'No metadata here.')
    await skill('other', '---\nruntime: claude-code\n---\nOnly for Claude.')
    await skill('sugar', '---\nruntime: echo\n---\n')
    await skill('odd', '---\nruntime: 5\n---\nAny runtime.')
    const loaded = await loadSkills(
      dir,
      ['plain', 'summarise', 'other', 'missing', 'sugar', 'odd'],
      'echo',
      log,
    )
    expect(loaded.map((s) => s.id)).toEqual(['plain', 'summarise', 'sugar', 'odd'])
    expect(loaded[0]).toEqual({
      id: 'plain',
      name: 'plain',
      description: '',
      tags: [],
      examples: [],
      runtime: ['*'],
      instructions: 'No metadata here.',
    })
    expect(loaded[1]).toMatchObject({
      name: 'Summarise',
      description: 'Condense',
      tags: ['text'],
      examples: ['sum this'],
      instructions: 'Keep it short.',
    })
    expect(loaded[2]).toMatchObject({ runtime: ['echo'] })
    expect(loaded[2] && 'instructions' in loaded[2]).toBe(false)
    expect(loaded[3]).toMatchObject({ runtime: ['*'] })
  })
})
