import { execFile } from 'node:child_process'
import { readFile, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import {
  installPlugin,
  installPluginFrom,
  listRecords,
  loadPlugins,
  readPlugin,
  uninstallPlugin,
} from '../src/index.js'
import { GUARDRAILS, snapshot, tempDir, USER_CONFIGS, writeTree } from './support/fixtures.js'

const run = promisify(execFile)

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
  await writeTree(join(sources, 'guardrails'), GUARDRAILS)
})

afterEach(async () => {
  for (const cleanup of cleanups) await cleanup()
})

const options = () => ({ configsDir: configs, runtime: 'claude-code', setupTimeoutMs: 5000 })

async function settings(): Promise<{
  hooks: Record<string, { matcher: string; hooks: { command: string }[] }[]>
  mcpServers?: Record<string, unknown>
}> {
  return JSON.parse(await readFile(join(configs, '.claude/settings.json'), 'utf8'))
}

describe('a Molecule plugin with a Python re-export adaptor (agentskills)', () => {
  it('installs rules, fragments, skills, hooks, commands and settings as documented', async () => {
    const result = await installPluginFrom(join(sources, 'guardrails'), options())
    expect(result).toMatchObject({
      pluginName: 'guardrails',
      runtime: 'claude_code',
      source: 'plugin',
      adaptor: 'agentskills',
      version: '1.2.0',
    })
    expect(result.filesWritten).toEqual(
      expect.arrayContaining([
        'plugins/guardrails/plugin.yaml',
        'skills/release-notes/SKILL.md',
        'skills/release-notes/scripts/collect.sh',
        '.claude/hooks/block-force-push.sh',
        '.claude/hooks/audit.py',
        '.claude/commands/review.md',
      ]),
    )
    expect(result.filesWritten).not.toContain('.claude/hooks/settings-fragment.json')
    expect(result.warnings).toEqual([])

    const memory = await readFile(join(configs, 'CLAUDE.md'), 'utf8')
    expect(memory).toBe(
      '# My notes\nBe kind to reviewers.\n' +
        '# Plugin: guardrails / rule: no-force-push.md\n\nNever force-push to a shared branch.\n\n' +
        '# Plugin: guardrails / fragment: AGENTS.md\n\nWrite small, reviewed changes.\n',
    )

    const claudeDir = join(configs, '.claude')
    const merged = await settings()
    expect(merged.hooks.PreToolUse).toEqual([
      { matcher: 'Bash', hooks: [{ type: 'command', command: 'echo user-hook' }] },
      {
        matcher: 'Bash',
        hooks: [{ type: 'command', command: `bash ${claudeDir}/hooks/block-force-push.sh` }],
      },
    ])
    expect(merged.hooks.PostToolUse?.[0]?.hooks[0]?.command).toBe(`python3 ${claudeDir}/hooks/audit.py`)
    expect(merged.mcpServers).toEqual({
      'guard-audit': { command: 'node', args: [`${claudeDir}/hooks/audit.js`] },
    })
    expect(merged).toHaveProperty('permissions', { allow: ['Bash(git status)'] })

    // CRLF normalised and executable: the command the settings name runs.
    const hook = join(claudeDir, 'hooks/block-force-push.sh')
    expect(await readFile(hook, 'utf8')).not.toContain('\r')
    expect((await stat(hook)).mode & 0o111).not.toBe(0)
    const command = merged.hooks.PreToolUse?.[1]?.hooks[0]?.command ?? ''
    const { stdout } = await run('sh', ['-c', command])
    expect(stdout).toBe('guardrails: checked\n')
    const direct = await run(hook, [])
    expect(direct.stdout).toBe('guardrails: checked\n')
    expect(await readFile(join(claudeDir, 'commands/review.md'), 'utf8')).toBe(
      'Review the diff for force pushes.\n',
    )
  })

  it('installing twice is installing once', async () => {
    await installPluginFrom(join(sources, 'guardrails'), options())
    const once = await snapshot(configs)
    const again = await installPluginFrom(join(sources, 'guardrails'), options())
    expect(again.filesWritten).toEqual([])
    expect(await snapshot(configs)).toEqual(once)
    // And the boot path (the plugin found in <configs>/plugins/) changes nothing either.
    const loaded = await loadPlugins({ workspaceDir: join(configs, 'plugins') })
    await installPlugin(loaded.plugins[0]!, options())
    expect(await snapshot(configs)).toEqual(once)
  })

  it('uninstall leaves the configs dir byte-identical to before the install', async () => {
    const before = await snapshot(configs)
    await installPluginFrom(join(sources, 'guardrails'), options())
    await installPluginFrom(join(sources, 'guardrails'), options())
    const removed = await uninstallPlugin(configs, 'guardrails')
    expect(removed.warnings).toEqual([])
    expect(removed.filesRemoved).toContain('.claude/hooks/block-force-push.sh')
    expect(await snapshot(configs)).toEqual(before)
    expect(await listRecords(configs)).toEqual([])
  })

  it('creates no memory file and no settings for a plugin with nothing to put there, and removes what it created', async () => {
    const { dir: empty, cleanup } = await tempDir('empty')
    cleanups.push(cleanup)
    const before = await snapshot(empty)
    await installPluginFrom(join(sources, 'guardrails'), { ...options(), configsDir: empty })
    expect(await readFile(join(empty, 'CLAUDE.md'), 'utf8')).toMatch(
      /^# Plugin: guardrails \/ rule: no-force-push.md\n/,
    )
    await uninstallPlugin(empty, 'guardrails')
    expect(await snapshot(empty)).toEqual(before)
  })

  it('keeps what the user changed after the install, and says so', async () => {
    await installPluginFrom(join(sources, 'guardrails'), options())
    const { writeFile } = await import('node:fs/promises')
    await writeFile(join(configs, '.claude/commands/review.md'), 'My own review command.\n')
    const removed = await uninstallPlugin(configs, 'guardrails')
    expect(removed.warnings).toEqual([expect.stringContaining('kept .claude/commands/review.md')])
    expect(await readFile(join(configs, '.claude/commands/review.md'), 'utf8')).toBe(
      'My own review command.\n',
    )
    expect(JSON.stringify(await settings())).not.toContain('block-force-push')
    expect(await readFile(join(configs, 'CLAUDE.md'), 'utf8')).toBe(USER_CONFIGS['CLAUDE.md'])
  })

  it('reports a plugin that is not installed', async () => {
    await expect(uninstallPlugin(configs, 'nothing')).rejects.toMatchObject({ code: 'PLUGIN_NOT_INSTALLED' })
  })

  it('a Python adaptor that does more than re-export is a raw drop whose warning names the file', async () => {
    const { plugin } = await readPlugin(join(sources, 'guardrails'))
    const result = await installPlugin(plugin, { ...options(), runtime: 'deepagents' })
    expect(result.source).toBe('raw_drop')
    expect(result.warnings[0]).toContain(join(sources, 'guardrails', 'adapters', 'deepagents.py'))
    expect(result.warnings[1]).toMatch(/no adaptor for runtime "deepagents".*plugins\/guardrails/)
    expect(await readFile(join(configs, 'plugins/guardrails/plugin.yaml'), 'utf8')).toBe(
      GUARDRAILS['plugin.yaml'],
    )
  })
})
