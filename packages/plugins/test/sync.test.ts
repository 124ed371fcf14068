import { readFile, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { installPluginFrom, listRecords, loadPlugins, syncPlugins, uninstallPlugin } from '../src/index.js'
import { CC_LINT, GUARDRAILS, snapshot, tempDir, USER_CONFIGS, writeTree } from './support/fixtures.js'

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
})

afterEach(async () => {
  for (const cleanup of cleanups) await cleanup()
})

const options = () => ({ configsDir: configs, runtime: 'claude-code' })
const settingsText = () => readFile(join(configs, '.claude/settings.json'), 'utf8')

describe('syncPlugins (the boot path)', () => {
  it('installs what is enabled and uninstalls what config.yaml disables: its hooks and rules stop', async () => {
    const before = await snapshot(configs)
    await writeTree(join(configs, 'plugins/guardrails'), GUARDRAILS)
    await writeTree(join(configs, 'plugins/cc-lint'), CC_LINT)
    const workspaceDir = join(configs, 'plugins')
    const first = await syncPlugins(await loadPlugins({ workspaceDir }), options())
    expect(first.installed.map((r) => r.pluginName)).toEqual(['cc-lint', 'guardrails'])
    expect(await settingsText()).toContain('block-force-push.sh')
    expect(await readFile(join(configs, 'CLAUDE.md'), 'utf8')).toContain('# Plugin: guardrails / rule:')

    const loaded = await loadPlugins({ workspaceDir, enabled: ['cc-lint'] })
    const second = await syncPlugins(loaded, options())
    expect(second.removed.map((r) => r.pluginName)).toEqual(['guardrails'])
    expect(loaded.rules).toEqual([])
    expect(await settingsText()).not.toContain('block-force-push.sh')
    expect(await settingsText()).toContain('lint.sh')
    expect(await readFile(join(configs, 'CLAUDE.md'), 'utf8')).toBe(USER_CONFIGS['CLAUDE.md'])

    // Removing the last plugin folder uninstalls it too; the plugin folders are the user's, so they go by hand.
    await rm(join(configs, 'plugins'), { recursive: true })
    await syncPlugins(await loadPlugins({ workspaceDir }), options())
    expect(await listRecords(configs)).toEqual([])
    expect(await snapshot(configs)).toEqual(before)
  })

  it('one plugin failing does not stop the others', async () => {
    await writeTree(join(configs, 'plugins/guardrails'), GUARDRAILS)
    await writeTree(join(configs, 'plugins/aaa-fails'), {
      'adapters/claude_code.mjs':
        'export function getAdaptor(p, r) { return { pluginName: p, runtime: r, async install() { throw new Error("boom") } } }\n',
    })
    const result = await syncPlugins(await loadPlugins({ workspaceDir: join(configs, 'plugins') }), options())
    expect(result.failed).toEqual([{ plugin: 'aaa-fails', error: expect.stringContaining('boom') }])
    expect(result.installed.map((r) => r.pluginName)).toEqual(['guardrails'])
  })
})

describe('plugins sharing the configs dir', () => {
  it('a hook handler two plugins add is written once and stays until the last of them goes', async () => {
    const shared = {
      hooks: { Stop: [{ matcher: '', hooks: [{ type: 'command', command: 'echo done' }] }] },
      mcpServers: { same: { command: 'x' } },
    }
    await writeTree(join(sources, 'one'), { 'settings-fragment.json': JSON.stringify(shared), ...adaptor() })
    await writeTree(join(sources, 'two'), {
      'settings-fragment.json': JSON.stringify({ ...shared, mcpServers: { same: { command: 'y' } } }),
      ...adaptor(),
    })
    const before = await snapshot(configs)
    await installPluginFrom(join(sources, 'one'), options())
    const two = await installPluginFrom(join(sources, 'two'), options())
    expect(two.warnings).toEqual([expect.stringContaining('kept the existing mcpServers.same')])
    const settings = JSON.parse(await settingsText())
    expect(settings.hooks.Stop).toHaveLength(1)
    expect(settings.mcpServers).toEqual({ same: { command: 'x' } })
    await uninstallPlugin(configs, 'one')
    expect(JSON.parse(await settingsText()).hooks.Stop).toHaveLength(1)
    await uninstallPlugin(configs, 'two')
    expect(await snapshot(configs)).toEqual(before)
  })

  it('an updated plugin replaces its own files and memory text, and drops what it no longer ships', async () => {
    await writeTree(join(sources, 'guardrails'), GUARDRAILS)
    const before = await snapshot(configs)
    await installPluginFrom(join(sources, 'guardrails'), options())
    await writeFile(join(sources, 'guardrails/rules/no-force-push.md'), 'Never force-push, ever.\n')
    await rm(join(sources, 'guardrails/commands'), { recursive: true })
    await rm(join(configs, 'plugins/guardrails'), { recursive: true })
    const { cp } = await import('node:fs/promises')
    await cp(join(sources, 'guardrails'), join(configs, 'plugins/guardrails'), { recursive: true })
    await syncPlugins(await loadPlugins({ workspaceDir: join(configs, 'plugins') }), options())
    const memory = await readFile(join(configs, 'CLAUDE.md'), 'utf8')
    expect(memory).toContain('Never force-push, ever.')
    expect(memory).not.toContain('shared branch')
    await expect(readFile(join(configs, '.claude/commands/review.md'))).rejects.toThrow()
    await uninstallPlugin(configs, 'guardrails')
    expect(await snapshot(configs)).toEqual(before)
  })
})

function adaptor() {
  return {
    'adapters/claude_code.py': 'from plugins_registry.builtins import AgentskillsAdaptor as Adaptor\n',
  }
}
