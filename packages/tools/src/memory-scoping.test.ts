import { type RunningDevPlatform, startDevPlatform } from '@molecule/dev-platform'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { memoryTools } from './memory-tools.js'
import { ToolRegistry } from './registry.js'
import { contextFor, directoryOf } from './test-support.js'
import { workspaceTools } from './workspace-tools.js'

let platform: RunningDevPlatform
const registry = new ToolRegistry([...memoryTools(), ...workspaceTools()])

async function workspace(name: string, extra: Record<string, unknown> = {}) {
  const created = await platform.createWorkspace({ name, external: true, mint_token: true, ...extra })
  if (!created.token) throw new Error('dev platform minted no token')
  return { id: created.id, token: created.token, ctx: contextFor(platform.url, created.id, created.token) }
}

beforeAll(async () => {
  platform = await startDevPlatform({ port: 0, logLevel: 'silent', lenient: false })
})
afterAll(async () => {
  await platform?.close()
})

describe('memory scoping as the platform defines it', () => {
  it('TEAM is the parent and its children; a top-level workspace’s team is itself and its children', async () => {
    const lead = await workspace('Lead')
    const worker = await workspace('Worker', { parent_id: lead.id })
    const otherRoot = await workspace('Other root')
    await registry.call('commit_memory', worker.ctx, {
      content: 'worker shares the release date',
      scope: 'TEAM',
    })
    await registry.call('commit_memory', lead.ctx, { content: 'lead shares the budget', scope: 'TEAM' })
    const leadSees = (await registry.call('recall_memory', lead.ctx, { scope: 'TEAM' })).text
    expect(leadSees).toContain('worker shares the release date')
    expect(leadSees).toContain('lead shares the budget')
    expect((await registry.call('recall_memory', worker.ctx, { scope: 'TEAM' })).text).toContain(
      'lead shares the budget',
    )
    // Another top-level workspace is listed as a peer, but is not in the lead's team.
    expect((await registry.call('recall_memory', otherRoot.ctx, { scope: 'TEAM' })).text).toBe(
      'No memories found.',
    )
    const description = registry.list().find((tool) => tool.name === 'commit_memory')?.description ?? ''
    expect(description).toContain('for a top-level workspace: itself and its children')
  })

  it('a refused GLOBAL write names the same tier get_workspace_info reports', async () => {
    const root = await workspace('Tier three root', { tier: 3 })
    const info = JSON.parse((await registry.call('get_workspace_info', root.ctx, {})).text) as {
      tier: number
    }
    const refused = await registry.call('commit_memory', root.ctx, { content: 'x', scope: 'GLOBAL' })
    expect(refused.text).toContain(`as tier ${info.tier}`)
    expect(refused.text).not.toContain('tier 1')
    const configured = await registry.call(
      'commit_memory',
      { ...root.ctx, tier: 2 },
      { content: 'x', scope: 'GLOBAL' },
    )
    expect(configured.text).toContain("this workspace's configured tier is 2")
    const child = await workspace('Child', { parent_id: root.id })
    const fromChild = await registry.call('commit_memory', child.ctx, { content: 'x', scope: 'GLOBAL' })
    expect(fromChild.text).toContain('only be written by a top-level workspace')
  })

  it('serving several workspaces, the memory tools require source_workspace_id instead of acting as the first', async () => {
    const one = await workspace('One')
    const two = await workspace('Two')
    const ctx = {
      ...one.ctx,
      workspaces: directoryOf([one.ctx.platform, two.ctx.platform]),
    }
    for (const [tool, input] of [
      ['commit_memory', { content: 'whose is this?' }],
      ['recall_memory', {}],
    ] as const) {
      const refused = await registry.call(tool, ctx, input)
      expect(refused.text).toContain('this process serves 2 workspaces')
      expect(refused.text).toContain('pass source_workspace_id=')
    }
    expect(platform.state.memories.filter((m) => m.content === 'whose is this?')).toEqual([])
    const saved = await registry.call('commit_memory', ctx, {
      content: 'two owns this',
      source_workspace_id: two.id,
    })
    expect(saved.text).toContain('"success":true')
    expect(platform.state.memories.find((m) => m.content === 'two owns this')?.workspace_id).toBe(two.id)
    // One workspace served: no selector needed.
    const single = { ...one.ctx, workspaces: directoryOf([one.ctx.platform]) }
    expect((await registry.call('commit_memory', single, { content: 'mine' })).text).toContain(
      '"success":true',
    )
  })
})
