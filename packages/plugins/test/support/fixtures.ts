import { createHash } from 'node:crypto'
import { chmod, mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'

export type Tree = Record<string, string>

// biome-ignore lint/suspicious/noTemplateCurlyInString: the placeholder Molecule plugins write, not a template
export const CLAUDE_DIR = '${CLAUDE_DIR}'
// biome-ignore lint/suspicious/noTemplateCurlyInString: the placeholder Claude Code plugins write, not a template
export const PLUGIN_ROOT = '${CLAUDE_PLUGIN_ROOT}'
// biome-ignore lint/suspicious/noTemplateCurlyInString: a default-value form Claude Code expands itself
export const LEVEL_DEFAULT = '${LEVEL:-warn}'

/** Writes `{ 'rel/path': content }` under `root`. */
export async function writeTree(root: string, tree: Tree): Promise<void> {
  for (const [rel, content] of Object.entries(tree)) {
    await mkdir(dirname(join(root, rel)), { recursive: true })
    await writeFile(join(root, rel), content)
  }
}

export async function tempDir(prefix: string): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), `molecule-plugins-${prefix}-`))
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) }
}

/** Every folder and file under `root` with each file's hash and mode: equal snapshots mean byte-identical trees. */
export async function snapshot(root: string, prefix = ''): Promise<Record<string, string>> {
  const out: Record<string, string> = {}
  const items = await readdir(join(root, prefix), { withFileTypes: true })
  for (const item of items.sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const rel = prefix ? `${prefix}/${item.name}` : item.name
    if (item.isDirectory()) {
      out[`${rel}/`] = 'dir'
      Object.assign(out, await snapshot(root, rel))
    } else {
      const bytes = await readFile(join(root, rel))
      const mode = ((await stat(join(root, rel))).mode & 0o777).toString(8)
      out[rel] = `${createHash('sha256').update(bytes).digest('hex').slice(0, 16)} ${mode}`
    }
  }
  return out
}

/** The user's own state of a configs dir before any plugin: memory notes, Claude settings, a skill. */
export const USER_CONFIGS: Tree = {
  'config.yaml': 'name: Guarded\nruntime: claude-code\n',
  'CLAUDE.md': '# My notes\nBe kind to reviewers.',
  '.claude/settings.json': `${JSON.stringify(
    {
      permissions: { allow: ['Bash(git status)'] },
      hooks: {
        PreToolUse: [{ matcher: 'Bash', hooks: [{ type: 'command', command: 'echo user-hook' }] }],
      },
    },
    null,
    2,
  )}\n`,
  'skills/lint-fix/SKILL.md':
    '---\nname: lint-fix\ndescription: The user’s own lint skill.\n---\nUse eslint.\n',
}

/** A Molecule plugin as organisations write them: manifest, rules, fragments, skills, hooks, commands, adaptors. */
export const GUARDRAILS: Tree = {
  'plugin.yaml': [
    'name: guardrails',
    'version: 1.2.0',
    'description: Organisation guardrails',
    'author: Platform team',
    'tags: [security, git]',
    'runtimes: [claude_code, deepagents, hermes]',
    'rules: [rules/no-force-push.md]',
    'prompt_fragments: [AGENTS.md]',
    'skills: [release-notes]',
    'hooks: [hooks/block-force-push.sh]',
    '',
  ].join('\n'),
  'rules/no-force-push.md': 'Never force-push to a shared branch.\n',
  'rules/zz-empty.md': '   \n',
  'AGENTS.md': 'Write small, reviewed changes.\n',
  'README.md': '# guardrails\nThis text documents the plugin.\n',
  'LICENSE.md': 'MIT\n',
  'skills/release-notes/SKILL.md':
    '---\nname: release-notes\ndescription: Drafts release notes.\n---\nList the changes.\n',
  'skills/release-notes/scripts/collect.sh': '#!/usr/bin/env bash\necho notes\n',
  'hooks/block-force-push.sh': '#!/usr/bin/env bash\r\nset -e\r\necho "guardrails: checked"\r\n',
  'hooks/audit.py': 'print("audit")\r\n',
  'settings-fragment.json': JSON.stringify({
    hooks: {
      PreToolUse: [
        {
          matcher: 'Bash',
          hooks: [{ type: 'command', command: `bash ${CLAUDE_DIR}/hooks/block-force-push.sh` }],
        },
      ],
      PostToolUse: [
        { matcher: 'Edit', hooks: [{ type: 'command', command: `python3 ${CLAUDE_DIR}/hooks/audit.py` }] },
      ],
    },
    mcpServers: { 'guard-audit': { command: 'node', args: [`${CLAUDE_DIR}/hooks/audit.js`] } },
  }),
  'commands/review.md': 'Review the diff for force pushes.\r\n',
  'adapters/claude_code.py': 'from plugins_registry.builtins import AgentskillsAdaptor as Adaptor\n',
  'adapters/deepagents.py':
    'from plugins_registry.builtins import AgentskillsAdaptor\n\nclass Adaptor(AgentskillsAdaptor):\n    pass\n',
}

/** A Claude Code plugin: hooks.json, .mcp.json, commands, agents and a skill. */
export const CC_LINT: Tree = {
  '.claude-plugin/plugin.json': JSON.stringify({
    name: 'cc-lint',
    version: '0.3.1',
    description: 'Lint on every edit',
    author: { name: 'Lint Co' },
    keywords: ['lint'],
  }),
  'hooks/hooks.json': JSON.stringify({
    hooks: {
      PostToolUse: [
        {
          matcher: 'Write|Edit',
          hooks: [{ type: 'command', command: `bash ${PLUGIN_ROOT}/hooks/lint.sh`, timeout: 30 }],
        },
      ],
    },
  }),
  'hooks/lint.sh': '#!/usr/bin/env bash\necho linted\n',
  '.mcp.json': JSON.stringify({
    mcpServers: {
      linter: {
        command: `${PLUGIN_ROOT}/bin/server`,
        args: ['--stdio'],
        env: { LEVEL: LEVEL_DEFAULT },
      },
    },
  }),
  'commands/lint.md': 'Lint the repository.\n',
  'agents/linter.md': '---\nname: linter\n---\nYou fix lint errors.\n',
  'skills/lint-fix/SKILL.md': '---\nname: lint-fix\ndescription: Fixes lint.\n---\nRun the fixer.\n',
  'skills/lint-explain/SKILL.md':
    '---\nname: lint-explain\ndescription: Explains lint rules.\n---\nExplain.\n',
  'README.md': '# cc-lint\n',
}

/** A plugin whose own JS adaptor writes a file and registers a tool. */
export const JS_TOOLS: Tree = {
  'plugin.yaml': 'name: js-tools\nversion: 2.0.0\n',
  'rules/tools.md': 'Prefer the js-tools helpers.\n',
  'adapters/claude_code.mjs': [
    'export function getAdaptor(pluginName, runtime) {',
    '  return {',
    '    pluginName, runtime, kind: "js-tools-adaptor",',
    '    async install(ctx) {',
    '      await ctx.writeFile("js-tools/config.json", JSON.stringify({ runtime: ctx.runtime }) + "\\n")',
    '      ctx.registerTool("lookup", { run: () => 1 })',
    '      return { warnings: ["js-tools: configured"] }',
    '    },',
    '  }',
    '}',
    '',
  ].join('\n'),
  'adapters/deepagents.js': [
    'export class Adaptor {',
    '  constructor() { this.pluginName = "js-tools"; this.runtime = "deepagents" }',
    '  async install(ctx) { ctx.registerSubagent("researcher", { prompt: "research" }) }',
    '}',
    '',
  ].join('\n'),
}

export async function makeExecutable(file: string): Promise<void> {
  await chmod(file, 0o755)
}
