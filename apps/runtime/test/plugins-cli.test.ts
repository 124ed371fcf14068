import { execFile } from 'node:child_process'
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'

const BIN = join(dirname(fileURLToPath(import.meta.url)), '../bin/molecule-runtime.js')

interface Ran {
  code: number
  stdout: string
  stderr: string
}

function cli(args: string[], env: Record<string, string> = {}, command = 'plugins'): Promise<Ran> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [BIN, command, ...args],
      { env: { PATH: process.env.PATH ?? '', ...env }, timeout: 20_000 },
      (err, stdout, stderr) =>
        resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    )
  })
}

async function writeTree(root: string, tree: Record<string, string>): Promise<void> {
  for (const [rel, content] of Object.entries(tree)) {
    await mkdir(dirname(join(root, rel)), { recursive: true })
    await writeFile(join(root, rel), content)
  }
}

async function listing(root: string, prefix = ''): Promise<string[]> {
  const out: string[] = []
  for (const item of await readdir(join(root, prefix), { withFileTypes: true })) {
    const rel = prefix ? `${prefix}/${item.name}` : item.name
    out.push(rel)
    if (item.isDirectory()) out.push(...(await listing(root, rel)))
    else out.push(await readFile(join(root, rel), 'utf8'))
  }
  return out.sort()
}

let base: string
let configs: string
let shared: string

beforeEach(async () => {
  base = await mkdtemp(join(tmpdir(), 'molecule-plugins-cli-'))
  configs = join(base, 'configs')
  shared = join(base, 'shared')
  await writeTree(configs, { 'config.yaml': 'name: CLI\nruntime: claude-code\n', 'CLAUDE.md': '# Notes\n' })
  await writeTree(join(base, 'src/review-kit'), {
    'plugin.yaml': 'name: review-kit\nversion: 1.0.0\n',
    'rules/small-prs.md': 'Keep pull requests small.\n',
    'hooks/check.sh': '#!/usr/bin/env bash\r\necho checked\r\n',
    'settings-fragment.json':
      // biome-ignore lint/suspicious/noTemplateCurlyInString: the placeholder plugins write
      '{"hooks":{"Stop":[{"hooks":[{"type":"command","command":"bash ${CLAUDE_DIR}/hooks/check.sh"}]}]}}',
    'adapters/claude_code.py': 'from plugins_registry.builtins import AgentskillsAdaptor as Adaptor\n',
  })
  await writeTree(join(shared, 'shared-kit'), { 'AGENTS.md': 'Be brief.\n' })
})

afterEach(() => rm(base, { recursive: true, force: true }))

describe('molecule-runtime plugins', () => {
  it('install names every file written, list shows it, uninstall restores the configs dir', async () => {
    const before = await listing(configs)
    const installed = await cli(['install', join(base, 'src/review-kit'), '--configs', configs])
    expect(installed).toMatchObject({ code: 0, stderr: '' })
    expect(installed.stdout).toContain(
      'installed review-kit 1.0.0 (adaptor agentskills, source plugin, runtime claude_code)',
    )
    for (const file of ['plugins/review-kit/plugin.yaml', '.claude/hooks/check.sh', 'CLAUDE.md'])
      expect(installed.stdout).toContain(`  wrote ${file}\n`)
    expect(await readFile(join(configs, 'CLAUDE.md'), 'utf8')).toContain(
      '# Plugin: review-kit / rule: small-prs.md',
    )

    const again = await cli(['install', 'local://review-kit'], { WORKSPACE_CONFIG_PATH: configs })
    expect(again.code).toBe(0)
    expect(again.stdout).toContain('nothing new to write: already installed')

    const prompt = await cli(['--configs', configs], { PLUGINS_DIR: shared }, 'prompt')
    expect(prompt.code).toBe(0)
    expect(prompt.stdout).toContain('## Platform Rules\nKeep pull requests small.')
    expect(prompt.stdout).toContain('## Platform Guidelines\nBe brief.')

    const listed = await cli(['list', '--configs', configs], { PLUGINS_DIR: shared })
    expect(listed.code).toBe(0)
    expect(listed.stdout).toContain(
      'review-kit 1.0.0  source=plugin  adaptor=agentskills  runtime=claude_code',
    )
    expect(listed.stdout).toContain('  file .claude/hooks/check.sh')
    expect(listed.stdout).toContain('  1 hook handler in .claude/settings.json')
    expect(listed.stdout).toContain('  memory CLAUDE.md: 1 block(s)')
    expect(listed.stdout).toContain('shared-kit 0.0.0  (shared, not installed yet)')

    const removed = await cli(['uninstall', 'review-kit', '--configs', configs])
    expect(removed).toMatchObject({ code: 0, stderr: '' })
    expect(removed.stdout).toContain('  removed .claude/hooks/check.sh')
    expect(await listing(configs)).toEqual(before)
  })

  it('a raw drop installs with its warning and exit 0; --runtime overrides config.yaml', async () => {
    const ran = await cli(['install', 'local://shared-kit', '--configs', configs, '--runtime', 'hermes'], {
      PLUGINS_DIR: shared,
    })
    expect(ran.code).toBe(0)
    expect(ran.stdout).toContain('runtime hermes')
    expect(ran.stderr).toMatch(/warning: plugin "shared-kit" has no adaptor for runtime "hermes"/)
  })

  it('fails with exit 1 and a message naming the plugin or file, never a stack', async () => {
    const missing = await cli(['install', join(base, 'nope'), '--configs', configs])
    expect(missing.code).toBe(1)
    expect(missing.stderr).toContain(`Plugin folder ${join(base, 'nope')} does not exist.`)
    const unknown = await cli(['uninstall', 'ghost', '--configs', configs])
    expect(unknown.code).toBe(1)
    expect(unknown.stderr).toContain('Plugin "ghost" is not installed')
    const noRuntime = await cli(['install', join(base, 'src/review-kit'), '--configs', join(base, 'empty')])
    expect(noRuntime.code).toBe(1)
    expect(noRuntime.stderr).toContain('--runtime')
    for (const ran of [missing, unknown, noRuntime]) expect(ran.stderr).not.toMatch(/\n\s+at /)
    const bad = await cli(['frobnicate', '--configs', configs])
    expect(bad.code).toBe(2)
  })
})
