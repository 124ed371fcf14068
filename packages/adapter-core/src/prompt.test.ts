import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { buildSystemPrompt, readPromptFiles, renderPeerSection, renderTeamSection } from './prompt.js'

const card = (name: string, skills: string[] = []) => ({
  name,
  skills: skills.map((s) => ({ id: s, name: s })),
})

describe('buildSystemPrompt', () => {
  it('keeps the fixed section order and skips empty parts', () => {
    const prompt = buildSystemPrompt({
      platformInstructions: ' Be kind. ',
      promptFiles: [
        { name: 'system-prompt.md', content: 'You are Ada.\n' },
        { name: 'empty.md', content: '  ' },
      ],
      memoryFiles: [{ name: 'MEMORY.md', content: 'Remember X.' }],
      parentContext: [{ name: 'brief.md', content: 'Ship it.' }],
      pluginRules: ['Never push to main.'],
      pluginPrompts: ['Prefer small PRs.'],
      skills: [{ id: 'search', name: 'Search', description: 'Finds things', instructions: 'Use the index.' }],
      peers: [
        { id: 'p1', status: 'online', agentCard: JSON.stringify(card('Researcher', ['web'])) },
        { id: 'p2', agentCard: null },
      ],
    })
    const order = [
      '# Platform Instructions\nBe kind.',
      'You are Ada.',
      'Remember X.',
      '## Parent Context',
      '### brief.md\nShip it.',
      '## Platform Rules\nNever push to main.',
      '## Platform Guidelines\nPrefer small PRs.',
      '## Your Skills\n### Search\nFinds things\nUse the index.',
      '## Your Peers (workspaces you can delegate to)\n- **Researcher** (id: `p1`, status: online)\n  Skills: web',
      '## Handling delegation failures',
    ]
    let at = -1
    for (const piece of order) {
      const next = prompt.indexOf(piece)
      expect(next, piece).toBeGreaterThan(at)
      at = next
    }
    expect(prompt).not.toContain('p2')
  })

  it('is only the delegation guidance when nothing else is given', () => {
    expect(buildSystemPrompt({})).toMatch(/^## Handling delegation failures/)
  })

  it('adds the team block with coordination rules in coordinator mode', () => {
    const prompt = buildSystemPrompt({
      children: [{ id: 'c1', status: 'online', agentCard: card('Writer') }],
    })
    expect(prompt).toContain(
      '## Platform Guidelines\n## Your Team (sub-workspaces you coordinate)\n- **Writer**',
    )
    expect(prompt).toContain('Coordination rules (mandatory)')
  })

  it('puts the skills note under the skills heading, and not without skills', () => {
    const skills = [{ id: 'search', name: 'Search', description: 'Finds things' }]
    expect(buildSystemPrompt({ skills, skillsNote: 'Use activate_skill.' })).toContain(
      '## Your Skills\nUse activate_skill.\n### Search\nFinds things',
    )
    expect(buildSystemPrompt({ skillsNote: 'Use activate_skill.' })).not.toContain('activate_skill')
  })

  it('peer and team sections are empty without cards', () => {
    expect(renderPeerSection([{ id: 'x' }, { id: 'y', agentCard: '{not json' }])).toBe('')
    expect(renderTeamSection([])).toBe('')
  })
})

describe('readPromptFiles', () => {
  it('reads in order and reports missing files', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'prompt-'))
    try {
      writeFileSync(path.join(dir, 'a.md'), 'A')
      writeFileSync(path.join(dir, 'b.md'), 'B')
      const { files, missing } = await readPromptFiles(dir, ['b.md', 'nope.md', 'a.md'])
      expect(files).toEqual([
        { name: 'b.md', content: 'B' },
        { name: 'a.md', content: 'A' },
      ])
      expect(missing).toEqual(['nope.md'])
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
