import { mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { silentLogger } from '@molecule/core'
import { describe, expect, it } from 'vitest'
import { assembleSystemPrompt, type SystemPromptPlatform } from './system-prompt.js'

const log = silentLogger

async function configDir(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'molecule-prompt-'))
  for (const [name, text] of Object.entries(files)) await writeFile(join(dir, name), text)
  return dir
}

const offline: SystemPromptPlatform = {
  resolveInstructions: () => Promise.reject(new Error('ECONNREFUSED')),
  listPeers: () => Promise.reject(new Error('ECONNREFUSED')),
  getSharedContext: () => Promise.reject(new Error('ECONNREFUSED')),
}

describe('assembleSystemPrompt', () => {
  it('puts instructions, prompt files, memory, parent context and peers in order, then the guidance', async () => {
    const dir = await configDir({
      'system-prompt.md': 'You are the researcher.',
      'extra.md': '  ',
      'MEMORY.md': 'Remember the Q1 numbers.',
    })
    const calls: unknown[] = []
    const platform: SystemPromptPlatform = {
      resolveInstructions: async (opts) => {
        calls.push(opts)
        return { instructions: 'Be concise.' }
      },
      listPeers: async () => [
        {
          id: 'p1',
          name: 'Writer',
          status: 'online',
          agent_card: { name: 'Writer', skills: [{ name: 'Draft' }] },
        },
        { id: 'p2', name: 'No card' },
      ],
      getSharedContext: async (parentId) => [{ path: `brief-${parentId}.md`, content: 'The brief.' }],
    }
    const prompt = await assembleSystemPrompt({
      configDir: dir,
      promptFiles: ['system-prompt.md', 'extra.md', 'missing.md'],
      platform,
      parentId: 'parent-1',
      log,
    })
    const order = [
      '# Platform Instructions\nBe concise.',
      'You are the researcher.',
      'Remember the Q1 numbers.',
      '## Parent Context',
      '### brief-parent-1.md\nThe brief.',
      '## Your Peers (workspaces you can delegate to)',
      '- **Writer** (id: `p1`, status: online)',
      '  Skills: Draft',
      '## Handling delegation failures',
    ].map((part) => prompt.indexOf(part))
    expect(order.every((at) => at >= 0)).toBe(true)
    expect([...order].sort((a, b) => a - b)).toEqual(order)
    expect(prompt).not.toContain('No card')
    expect(calls).toEqual([{ timeoutMs: 3000, retry: false }])
  })

  it('fails open without a platform and defaults to system-prompt.md', async () => {
    const dir = await configDir({ 'system-prompt.md': 'Hello.', 'USER.md': 'The user is Ada.' })
    const prompt = await assembleSystemPrompt({ configDir: dir, promptFiles: [], platform: offline, log })
    expect(prompt.startsWith('Hello.\n\nThe user is Ada.\n\n## Handling delegation failures')).toBe(true)
  })

  it('without a platform (no token yet) asks nothing and leaves the platform parts out', async () => {
    const dir = await configDir({ 'system-prompt.md': 'Hello.' })
    const prompt = await assembleSystemPrompt({
      configDir: dir,
      promptFiles: [],
      platform: undefined,
      parentId: 'parent-1',
      log,
    })
    expect(prompt.startsWith('Hello.\n\n## Handling delegation failures')).toBe(true)
  })

  it('does not repeat a memory file already listed in prompt_files', async () => {
    const dir = await configDir({ 'MEMORY.md': 'Only once.' })
    const prompt = await assembleSystemPrompt({
      configDir: dir,
      promptFiles: ['MEMORY.md'],
      platform: offline,
      log,
    })
    expect(prompt.split('Only once.')).toHaveLength(2)
  })
})
