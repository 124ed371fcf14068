import { randomUUID } from 'node:crypto'
import { mkdir, mkdtemp, readFile, rename, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import type { Adapter, SetupResult } from '@molecule/adapter-core'
import { type RunningDevPlatform, startDevPlatform } from '@molecule/dev-platform'
import { recordingLogger, until } from '@molecule/test-support'
import { afterEach, describe, expect, it } from 'vitest'
import { type RunningRuntime, startRuntime } from '../src/index.js'
import { inProcessEnv } from './support/runtime-process.js'

/**
 * Plugins end to end against the dev platform: two plugins at boot reach the prompt (rules, guidelines), the cards
 * (their skills) and the configs dir (memory markers, hooks); a third dropped in while running arrives in one
 * reload; leaving one out of config.yaml `plugins:` takes its rules and hooks away.
 */
let runtime: RunningRuntime | undefined
let platform: RunningDevPlatform | undefined
let root: string | undefined
afterEach(async () => {
  await runtime?.stop('test')
  await platform?.close()
  if (root) await rm(root, { recursive: true, force: true })
  runtime = platform = root = undefined
})

async function writeTree(base: string, tree: Record<string, string>): Promise<void> {
  for (const [rel, content] of Object.entries(tree)) {
    await mkdir(dirname(join(base, rel)), { recursive: true })
    await writeFile(join(base, rel), content)
  }
}

const skill = (name: string, description: string) =>
  `---\nname: ${name}\ndescription: ${description}\n---\nDo it.\n`
const REEXPORT = 'from plugins_registry.builtins import AgentskillsAdaptor as Adaptor\n'

const GUARDRAILS = {
  'plugin.yaml': 'name: guardrails\nversion: 1.0.0\nruntimes: [claude_code]\n',
  'rules/no-force-push.md': 'Never force-push to a shared branch.\n',
  'AGENTS.md': 'Write small, reviewed changes.\n',
  'skills/release-notes/SKILL.md': skill('release-notes', 'Drafts release notes.'),
  'hooks/check.sh': '#!/usr/bin/env bash\r\necho checked\r\n',
  'settings-fragment.json':
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the placeholder plugins write
    '{"hooks":{"PreToolUse":[{"matcher":"Bash","hooks":[{"type":"command","command":"bash ${CLAUDE_DIR}/hooks/check.sh"}]}]}}',
  'adapters/claude_code.py': REEXPORT,
}
const CC_LINT = {
  '.claude-plugin/plugin.json': '{"name":"cc-lint","version":"0.3.1"}',
  'commands/lint.md': 'Lint.\n',
  'skills/lint-explain/SKILL.md': skill('lint-explain', 'Explains lint rules.'),
}
const DOCS_KIT = {
  'plugin.yaml': 'name: docs-kit\nversion: 2.0.0\n',
  'rules/docs.md': 'Document every public function.\n',
  'skills/doc-writer/SKILL.md': skill('doc-writer', 'Writes docs.'),
  'adapters/claude_code.py': REEXPORT,
}

function recordingAdapter(setups: SetupResult[]): Adapter {
  return {
    name: 'claude-code',
    setup: (config) => {
      if (config.setup) setups.push(config.setup)
    },
    createExecutor: () => (ctx) => ctx.text,
    onSkillsChanged: (setup) => {
      setups.push(setup)
    },
  }
}

describe('plugins in a running workspace', () => {
  it('serves two plugins, picks up a third dropped in within one reload, and drops a disabled one', async () => {
    platform = await startDevPlatform({ port: 0, logLevel: 'silent' })
    root = await mkdtemp(join(tmpdir(), 'molecule-plugins-runtime-'))
    await writeFile(join(root, 'config.yaml'), 'name: Plugged\nruntime: claude-code\n')
    await writeTree(join(root, 'plugins/guardrails'), GUARDRAILS)
    await writeTree(join(root, 'plugins/cc-lint'), CC_LINT)
    const setups: SetupResult[] = []
    const workspaceId = randomUUID()
    const log = recordingLogger()
    runtime = await startRuntime({
      logger: log,
      builtins: { 'claude-code': recordingAdapter(setups) },
      env: inProcessEnv(root, workspaceId, platform.url, {
        HOSTNAME: '127.0.0.1',
        MOLECULE_SKILLS_DEBOUNCE_MS: '60',
        MOLECULE_REGISTER_RETRY_BASE_MS: '20',
      }),
    })
    await runtime.registered
    // The platform's parts join the prompt once registered: one rebuild that is not the plugins'.
    await until(
      () => log.at('info').some((l) => l.msg === 'system prompt completed'),
      5000,
      'prompt completed',
    )
    const local = `http://127.0.0.1:${runtime.port}`
    const cardSkills = async () =>
      (
        (await (await fetch(`${local}/.well-known/agent-card.json`)).json()) as { skills: { id: string }[] }
      ).skills.map((s) => s.id)
    const platformSkills = async () =>
      (
        (await (await fetch(`${platform?.url}/workspaces/${workspaceId}`)).json()) as {
          agent_card: { skills: { id: string }[] } | null
        }
      ).agent_card?.skills.map((s) => s.id) ?? []
    const prompt = () => setups.at(-1)?.systemPrompt ?? ''

    expect(await cardSkills()).toEqual(['lint-explain', 'release-notes'])
    expect(prompt()).toContain('## Platform Rules\nNever force-push to a shared branch.')
    expect(prompt()).toContain('## Platform Guidelines\nWrite small, reviewed changes.')
    expect(await readFile(join(root, 'CLAUDE.md'), 'utf8')).toContain(
      '# Plugin: guardrails / rule: no-force-push.md',
    )
    expect(await readFile(join(root, '.claude/settings.json'), 'utf8')).toContain(
      `${root}/.claude/hooks/check.sh`,
    )
    expect(await readFile(join(root, '.claude/commands/lint.md'), 'utf8')).toBe('Lint.\n')

    // An edit of a plugin's skill is the skills watcher's alone: one reload reaches the adapter, the plugins are not
    // found and installed again.
    const beforeEdit = setups.length
    const installs = () => log.at('info').filter((l) => l.msg === 'plugin installed').length
    const installsBeforeEdit = installs()
    await writeFile(
      join(root, 'plugins/guardrails/skills/release-notes/SKILL.md'),
      skill('release-notes', 'Drafts release notes from merged changes.'),
    )
    await until(
      () => prompt().includes('Drafts release notes from merged changes.'),
      5000,
      'edited skill in the prompt',
    )
    await new Promise((r) => setTimeout(r, 300))
    expect(setups.length).toBe(beforeEdit + 1)
    expect(installs()).toBe(installsBeforeEdit)

    // A third plugin dropped in whole (written aside, then moved in, as a platform copy would land).
    const before = setups.length
    await writeTree(join(root, 'incoming/docs-kit'), DOCS_KIT)
    await rename(join(root, 'incoming/docs-kit'), join(root, 'plugins/docs-kit'))
    await until(async () => (await cardSkills()).includes('doc-writer'), 5000, 'served card')
    await until(async () => (await platformSkills()).includes('doc-writer'), 5000, 'platform card')
    await until(() => prompt().includes('Document every public function.'), 5000, 'prompt')
    await new Promise((r) => setTimeout(r, 300))
    expect(setups.length).toBe(before + 1)
    expect(await readFile(join(root, 'CLAUDE.md'), 'utf8')).toContain('# Plugin: docs-kit / rule: docs.md')

    // config.yaml plugins: without guardrails switches it off: rules, skills and hooks go.
    await writeFile(
      join(root, 'config.yaml'),
      'name: Plugged\nruntime: claude-code\nplugins: [cc-lint, docs-kit]\n',
    )
    await until(() => !prompt().includes('Never force-push'), 5000, 'rule gone from the prompt')
    await until(async () => !(await cardSkills()).includes('release-notes'), 5000, 'skill gone from the card')
    expect(await readFile(join(root, 'CLAUDE.md'), 'utf8')).not.toContain('guardrails')
    // guardrails created .claude/settings.json for its hook and nothing else is in it: the file goes too.
    await expect(readFile(join(root, '.claude/settings.json'), 'utf8')).rejects.toThrow(/ENOENT/)
    expect(await readFile(join(root, '.claude/commands/lint.md'), 'utf8')).toBe('Lint.\n')
  })
})
