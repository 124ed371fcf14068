import { readFile, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { installPluginFrom, listRecords, loadPlugins, uninstallPlugin } from '../src/index.js'
import {
  CC_LINT,
  GUARDRAILS,
  LEVEL_DEFAULT,
  snapshot,
  tempDir,
  USER_CONFIGS,
  writeTree,
} from './support/fixtures.js'

let configs: string
let sources: string
let cleanups: (() => Promise<void>)[] = []

beforeEach(async () => {
  const a = await tempDir('configs')
  const b = await tempDir('sources')
  configs = a.dir
  sources = b.dir
  cleanups = [a.cleanup, b.cleanup]
  await writeTree(configs, USER_CONFIGS)
  await writeTree(join(sources, 'cc-lint'), CC_LINT)
  await writeTree(join(sources, 'guardrails'), GUARDRAILS)
})

afterEach(async () => {
  for (const cleanup of cleanups) await cleanup()
})

const options = () => ({ configsDir: configs, runtime: 'claude-code' })

describe('a Claude Code plugin (.claude-plugin/plugin.json)', () => {
  it('is discovered with its manifest, and its skills folder is handed out as is', async () => {
    await installPluginFrom(join(sources, 'cc-lint'), options())
    const loaded = await loadPlugins({ workspaceDir: join(configs, 'plugins') })
    expect(loaded.plugins[0]?.manifest).toMatchObject({
      name: 'cc-lint',
      version: '0.3.1',
      author: 'Lint Co',
      tags: ['lint'],
      format: 'claude-code',
    })
    expect(loaded.skillDirectories()).toEqual([join(configs, 'plugins/cc-lint/skills')])
  })

  it('merges hooks.json and .mcp.json with the plugin root, copies commands, agents and new skills', async () => {
    const result = await installPluginFrom(join(sources, 'cc-lint'), options())
    const root = join(configs, 'plugins/cc-lint')
    expect(result).toMatchObject({ source: 'plugin', adaptor: 'claude-code', warnings: [] })
    const settings = JSON.parse(await readFile(join(configs, '.claude/settings.json'), 'utf8'))
    expect(settings.hooks.PostToolUse).toEqual([
      {
        matcher: 'Write|Edit',
        hooks: [{ type: 'command', command: `bash ${root}/hooks/lint.sh`, timeout: 30 }],
      },
    ])
    expect(settings.mcpServers).toEqual({
      linter: { command: `${root}/bin/server`, args: ['--stdio'], env: { LEVEL: LEVEL_DEFAULT } },
    })
    expect(await readFile(join(configs, '.claude/commands/lint.md'), 'utf8')).toBe(
      CC_LINT['commands/lint.md'],
    )
    expect(await readFile(join(configs, '.claude/agents/linter.md'), 'utf8')).toBe(
      CC_LINT['agents/linter.md'],
    )
    // Never overwrites the user's skill of the same name; copies the new one.
    expect(await readFile(join(configs, 'skills/lint-fix/SKILL.md'), 'utf8')).toBe(
      USER_CONFIGS['skills/lint-fix/SKILL.md'],
    )
    expect(await readFile(join(configs, 'skills/lint-explain/SKILL.md'), 'utf8')).toBe(
      CC_LINT['skills/lint-explain/SKILL.md'],
    )
    expect((await stat(join(root, 'hooks/lint.sh'))).isFile()).toBe(true)
  })

  it('uninstall removes its hooks, MCP servers, commands, agents and skills: byte-identical configs', async () => {
    const before = await snapshot(configs)
    await installPluginFrom(join(sources, 'cc-lint'), options())
    const once = await snapshot(configs)
    await installPluginFrom(join(sources, 'cc-lint'), options())
    expect(await snapshot(configs)).toEqual(once)
    await uninstallPlugin(configs, 'cc-lint')
    expect(await snapshot(configs)).toEqual(before)
  })

  it('two plugins: uninstalling one leaves the other and anything both need', async () => {
    const before = await snapshot(configs)
    await installPluginFrom(join(sources, 'guardrails'), options())
    const guardOnly = await snapshot(configs)
    await installPluginFrom(join(sources, 'cc-lint'), options())
    const settings = JSON.parse(await readFile(join(configs, '.claude/settings.json'), 'utf8'))
    expect(Object.keys(settings.mcpServers)).toEqual(['guard-audit', 'linter'])
    expect(settings.hooks.PostToolUse).toHaveLength(2)
    await uninstallPlugin(configs, 'cc-lint')
    expect(await snapshot(configs)).toEqual(guardOnly)
    await installPluginFrom(join(sources, 'cc-lint'), options())
    await uninstallPlugin(configs, 'guardrails')
    await uninstallPlugin(configs, 'cc-lint')
    expect(await snapshot(configs)).toEqual(before)
    expect(await listRecords(configs)).toEqual([])
  })
})
