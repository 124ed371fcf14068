import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import {
  type AdaptorRegistry,
  AgentskillsAdaptor,
  installPlugin,
  type PluginAdaptor,
  readPlugin,
  readRecord,
  uninstallPlugin,
} from '../src/index.js'
import { JS_TOOLS, snapshot, tempDir, writeTree } from './support/fixtures.js'

let configs: string
let sources: string
let cleanups: (() => Promise<void>)[] = []

beforeEach(async () => {
  const a = await tempDir('configs')
  const b = await tempDir('sources')
  configs = a.dir
  sources = b.dir
  cleanups = [a.cleanup, b.cleanup]
  await writeTree(join(sources, 'js-tools'), JS_TOOLS)
})

afterEach(async () => {
  for (const cleanup of cleanups) await cleanup()
})

async function plugin(name: string) {
  return (await readPlugin(join(sources, name))).plugin
}

describe('adaptor resolution', () => {
  it('uses the plugin’s JS adaptor (getAdaptor); its writes are recorded and undone', async () => {
    const tools: string[] = []
    const result = await installPlugin(await plugin('js-tools'), {
      configsDir: configs,
      runtime: 'claude-code',
      registerTool: (name) => tools.push(name),
    })
    expect(result).toMatchObject({
      source: 'plugin',
      adaptor: 'js-tools-adaptor',
      filesWritten: ['js-tools/config.json'],
      toolsRegistered: ['lookup'],
      warnings: ['js-tools: configured'],
    })
    expect(tools).toEqual(['lookup'])
    expect(await readFile(join(configs, 'js-tools/config.json'), 'utf8')).toBe('{"runtime":"claude_code"}\n')
    await uninstallPlugin(configs, 'js-tools')
    expect(await snapshot(configs)).toEqual({})
  })

  it('constructs an exported Adaptor class (zero-argument constructors too)', async () => {
    const result = await installPlugin(await plugin('js-tools'), {
      configsDir: configs,
      runtime: 'deepagents',
    })
    expect(result).toMatchObject({ source: 'plugin', subagentsRegistered: ['researcher'] })
  })

  it('prefers the registry over the plugin’s own adaptor, and falls through a broken registry entry', async () => {
    const made: string[] = []
    const registry: AdaptorRegistry = {
      'js-tools': {
        claude_code: {
          getAdaptor: (pluginName, runtime): PluginAdaptor => ({
            pluginName,
            runtime,
            kind: 'hot-fix',
            install: async () => {
              made.push(runtime)
            },
          }),
        },
        deepagents: {
          getAdaptor: () => {
            throw new Error('broken hot-fix')
          },
        },
      },
    }
    const fixed = await installPlugin(await plugin('js-tools'), {
      configsDir: configs,
      runtime: 'claude-code',
      registry,
    })
    expect(fixed).toMatchObject({ source: 'registry', adaptor: 'hot-fix' })
    expect(made).toEqual(['claude_code'])
    const fallback = await installPlugin(await plugin('js-tools'), {
      configsDir: configs,
      runtime: 'deepagents',
      registry,
    })
    expect(fallback.source).toBe('plugin')
    expect(fallback.warnings).toEqual([expect.stringContaining('broken hot-fix')])
  })

  it('a JS adaptor file that does not load is a warning naming it, then the raw drop', async () => {
    await writeTree(join(sources, 'broken'), {
      'adapters/claude_code.js': 'export const = ;\n',
      'rules/a.md': 'A\n',
    })
    const result = await installPlugin(await plugin('broken'), {
      configsDir: configs,
      runtime: 'claude_code',
    })
    expect(result.source).toBe('raw_drop')
    expect(result.warnings[0]).toContain(join(sources, 'broken/adapters/claude_code.js'))
    expect(result.filesWritten).toEqual([
      'plugins/broken/adapters/claude_code.js',
      'plugins/broken/rules/a.md',
    ])
  })

  it('a failing adaptor fails the install naming the plugin; what it wrote is recorded and uninstallable', async () => {
    await writeTree(join(sources, 'fails'), {
      'adapters/claude_code.mjs':
        'export function getAdaptor(p, r) { return { pluginName: p, runtime: r, async install(ctx) {' +
        ' await ctx.writeFile("half.txt", "x"); throw new Error("disk full") } } }\n',
    })
    await expect(
      installPlugin(await plugin('fails'), { configsDir: configs, runtime: 'claude_code' }),
    ).rejects.toThrow(/Plugin "fails" .* failed to install: disk full/)
    expect((await readRecord(configs, 'fails'))?.files).toEqual(['half.txt'])
    await uninstallPlugin(configs, 'fails')
    expect(await snapshot(configs)).toEqual({})
  })
})

describe('setup.sh', () => {
  it('a failing setup.sh is a warning with its exit code and stderr; the install goes on', async () => {
    await writeTree(join(sources, 'setup-fails'), {
      'setup.sh':
        'echo "configured in $CONFIGS_DIR" > "$CONFIGS_DIR/../setup-ran.txt"\necho "no network" >&2\nexit 3\n',
      'rules/r.md': 'Rule.\n',
    })
    const adaptor = new AgentskillsAdaptor('setup-fails', 'claude_code')
    const result = await installPlugin(await plugin('setup-fails'), {
      configsDir: configs,
      runtime: 'claude_code',
      registry: { 'setup-fails': { claude_code: { getAdaptor: () => adaptor } } },
    })
    expect(result.warnings).toEqual(['setup.sh exited 3: no network'])
    expect(await readFile(join(configs, 'CLAUDE.md'), 'utf8')).toContain('# Plugin: setup-fails / rule: r.md')
    expect(await readFile(join(configs, '../setup-ran.txt'), 'utf8')).toBe(`configured in ${configs}\n`)
    const { rm } = await import('node:fs/promises')
    await rm(join(configs, '../setup-ran.txt'))
  })

  it('a hanging setup.sh is stopped at the timeout with a warning', async () => {
    await writeTree(join(sources, 'setup-hangs'), { 'setup.sh': 'sleep 30\n' })
    const started = Date.now()
    const result = await installPlugin(await plugin('setup-hangs'), {
      configsDir: configs,
      runtime: 'claude_code',
      setupTimeoutMs: 300,
      registry: { 'setup-hangs': { claude_code: { Adaptor: AgentskillsAdaptor } } },
    })
    expect(Date.now() - started).toBeLessThan(5000)
    expect(result.warnings).toEqual(['setup.sh timed out (0.3s)'])
  })
})
