import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Adapter, AdapterConfig, PluginRef } from '@molecule/adapter-core'
import { silentLogger } from '@molecule/core'
import { listRecords } from '@molecule/plugins'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { WorkspacePlugins } from './workspace-plugins.js'

let root: string
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'molecule-workspace-plugins-'))
  for (const name of ['alpha', 'beta']) {
    await mkdir(join(root, 'plugins', name, 'rules'), { recursive: true })
    await writeFile(join(root, 'plugins', name, 'rules', 'r.md'), `Rule of ${name}.\n`)
    await writeFile(
      join(root, 'plugins', name, 'adapters.txt'),
      'not an adaptor: the raw drop keeps the plugin where it is\n',
    )
  }
})
afterEach(() => rm(root, { recursive: true, force: true }))

const options = (enabled: string[]) => ({
  configDir: root,
  sharedDir: join(root, 'shared'),
  enabled,
  workspaceId: 'ws-1',
  log: silentLogger,
})
const config = () => ({ configPath: root }) as AdapterConfig

describe('WorkspacePlugins', () => {
  it('hands the enabled plugins to an adapter’s installPlugins, after undoing a disabled plugin’s install', async () => {
    const plain: Adapter = { name: 'echo', createExecutor: () => (ctx) => ctx.text }
    const both = await WorkspacePlugins.load(options([]))
    await both.install(plain, config())
    expect((await listRecords(root)).map((r) => r.plugin)).toEqual(['alpha', 'beta'])

    const handed: PluginRef[][] = []
    const own: Adapter = {
      ...plain,
      installPlugins: async (_config, plugins) => {
        handed.push([...plugins])
        return plugins.map((p) => ({ plugin: p.name, source: 'registry', warnings: [] }))
      },
    }
    const onlyBeta = await WorkspacePlugins.load(options(['beta']))
    expect(onlyBeta.promptParts()).toEqual({ pluginRules: ['Rule of beta.'], pluginPrompts: [] })
    await onlyBeta.install(own, config())
    expect(handed.map((list) => list.map((p) => p.name))).toEqual([['beta']])
    expect((await listRecords(root)).map((r) => r.plugin)).toEqual(['beta'])
  })

  it('refresh reports whether what the plugins contribute changed', async () => {
    const plugins = await WorkspacePlugins.load(options([]))
    expect(await plugins.refresh()).toBe(false)
    await writeFile(join(root, 'plugins/alpha/rules/r.md'), 'Rule of alpha, edited.\n')
    expect(await plugins.refresh()).toBe(true)
    expect(plugins.promptParts().pluginRules).toEqual(['Rule of alpha, edited.', 'Rule of beta.'])
    expect(await plugins.refresh(['alpha'])).toBe(true)
    expect(plugins.loaded.disabled.map((p) => p.name)).toEqual(['beta'])
    expect(await readFile(join(root, 'plugins/beta/rules/r.md'), 'utf8')).toBe('Rule of beta.\n')
  })
})
