import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { loadPlugins, reexportedBuiltin } from '../src/index.js'
import { CC_LINT, GUARDRAILS, tempDir, writeTree } from './support/fixtures.js'

let root: string
let cleanup: () => Promise<void>

beforeEach(async () => {
  ;({ dir: root, cleanup } = await tempDir('discovery'))
})
afterEach(() => cleanup())

describe('loadPlugins', () => {
  it('reads the workspace’s plugins, then shared ones not shadowed, sorted, ignoring files and hidden folders', async () => {
    await writeTree(join(root, 'ws'), {
      'guardrails/plugin.yaml': 'name: guardrails\nversion: 9.9.9\n',
      'guardrails/rules/a.md': 'Workspace copy wins.\n',
      'zeta/CLAUDE.md': 'Zeta guideline.\n',
      '.hidden/rules/x.md': 'never\n',
      'stray.md': 'not a plugin\n',
    })
    await writeTree(join(root, 'shared', 'guardrails'), GUARDRAILS)
    await writeTree(join(root, 'shared', 'cc-lint'), CC_LINT)
    const loaded = await loadPlugins({ workspaceDir: join(root, 'ws'), sharedDir: join(root, 'shared') })
    expect(loaded.plugins.map((p) => [p.name, p.scope, p.manifest.version])).toEqual([
      ['cc-lint', 'shared', '0.3.1'],
      ['guardrails', 'workspace', '9.9.9'],
      ['zeta', 'workspace', '0.0.0'],
    ])
    expect(loaded.rules).toEqual(['Workspace copy wins.'])
    expect(loaded.promptFragments).toEqual(['Zeta guideline.'])
    expect(loaded.skillDirectories()).toEqual([join(root, 'shared/cc-lint/skills')])
  })

  it('collects rules and root fragments (not README, CHANGELOG, LICENSE, CONTRIBUTING; not empty ones)', async () => {
    await writeTree(join(root, 'ws', 'guardrails'), {
      ...GUARDRAILS,
      'CHANGELOG.md': 'v1\n',
      'contributing.md': 'PRs welcome\n',
      'CLAUDE.md': 'Claude-specific guidance.\n',
    })
    const loaded = await loadPlugins({ workspaceDir: join(root, 'ws'), sharedDir: join(root, 'missing') })
    const plugin = loaded.plugins[0]
    expect(plugin?.rules).toEqual([
      { file: 'no-force-push.md', content: 'Never force-push to a shared branch.' },
    ])
    expect(plugin?.promptFragments.map((f) => f.file)).toEqual(['AGENTS.md', 'CLAUDE.md'])
    expect(plugin?.manifest).toMatchObject({
      name: 'guardrails',
      version: '1.2.0',
      author: 'Platform team',
      tags: ['security', 'git'],
      runtimes: ['claude_code', 'deepagents', 'hermes'],
      rules: ['rules/no-force-push.md'],
      promptFragments: ['AGENTS.md'],
      skills: ['release-notes'],
      hooks: ['hooks/block-force-push.sh'],
      format: 'molecule',
    })
    expect(loaded.pluginSkillDirs()).toEqual([
      { plugin: 'guardrails', dir: join(root, 'ws/guardrails/skills') },
    ])
  })

  it('a broken manifest is a warning and the defaults', async () => {
    await writeTree(join(root, 'ws'), {
      'bad/plugin.yaml': 'name: [unclosed\n',
      'bad/rules/r.md': 'Still read.\n',
    })
    const loaded = await loadPlugins({ workspaceDir: join(root, 'ws') })
    expect(loaded.plugins[0]?.manifest).toMatchObject({ name: 'bad', version: '0.0.0' })
    expect(loaded.rules).toEqual(['Still read.'])
    expect(loaded.warnings).toEqual([expect.stringContaining(join(root, 'ws/bad/plugin.yaml'))])
  })

  it('config.yaml plugins: names the enabled plugins; the others are found but disabled', async () => {
    await writeTree(join(root, 'ws', 'guardrails'), GUARDRAILS)
    await writeTree(join(root, 'ws', 'cc-lint'), CC_LINT)
    const all = await loadPlugins({ workspaceDir: join(root, 'ws'), enabled: [] })
    expect(all.plugins.map((p) => p.name)).toEqual(['cc-lint', 'guardrails'])
    const some = await loadPlugins({ workspaceDir: join(root, 'ws'), enabled: ['cc-lint'] })
    expect(some.plugins.map((p) => p.name)).toEqual(['cc-lint'])
    expect(some.disabled.map((p) => p.name)).toEqual(['guardrails'])
    expect(some.rules).toEqual([])
  })
})

describe('reexportedBuiltin', () => {
  it.each([
    ['from plugins_registry.builtins import AgentskillsAdaptor as Adaptor\n', 'AgentskillsAdaptor'],
    [
      '"""Adaptor."""\n# comment\nfrom molecule_runtime.plugins_registry.builtins import MCPServerAdaptor as Adaptor  # noqa\n',
      'MCPServerAdaptor',
    ],
    [
      'from plugins_registry.builtins import AgentskillsAdaptor\r\nAdaptor = AgentskillsAdaptor\r\n',
      'AgentskillsAdaptor',
    ],
    ['from plugins_registry import RawDropAdaptor as Adaptor', 'RawDropAdaptor'],
  ])('recognises %j', (source, name) => {
    expect(reexportedBuiltin(source)).toBe(name)
  })

  it.each([
    'from plugins_registry.builtins import AgentskillsAdaptor as Base\n',
    'from my_pkg import AgentskillsAdaptor as Adaptor\n',
    'from plugins_registry.builtins import AgentskillsAdaptor\nclass Adaptor(AgentskillsAdaptor):\n    pass\n',
    'from plugins_registry.builtins import AgentskillsAdaptor as Adaptor\nimport os\n',
    '',
  ])('refuses %j', (source) => {
    expect(reexportedBuiltin(source)).toBeUndefined()
  })
})
