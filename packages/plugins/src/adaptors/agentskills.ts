import { join } from 'node:path'
import { readPlugin } from '../discovery.js'
import { entries, isDirectory } from '../files.js'
import { memoryMarker } from '../memory-file.js'
import type { InstallContext, PluginAdaptor } from '../protocol.js'
import { runSetupScript } from '../setup-script.js'
import { installClaudeLayer } from './claude-layer.js'
import { copyTree } from './copy-files.js'

/**
 * Copies each `skills/<name>/` of the plugin to `<configs>/skills/<name>/`, never over a skill folder that is
 * already there (the workspace's own, or another plugin's); this plugin's earlier copy is refreshed.
 */
export async function copySkills(ctx: InstallContext): Promise<void> {
  const source = join(ctx.pluginRoot, 'skills')
  for (const name of await entries(source)) {
    if (name.startsWith('.') || !(await isDirectory(join(source, name)))) continue
    const target = `skills/${name}`
    if ((await isDirectory(join(ctx.configsDir, target))) && !ctx.installedBefore(target)) {
      ctx.logger.info({ plugin: ctx.pluginName, skill: name }, 'skill folder already present; not copied')
      continue
    }
    await copyTree(ctx, join(source, name), target)
  }
}

/**
 * The default shape of a Molecule plugin: rules and root fragments into the memory file under
 * `# Plugin: <p> / rule: <file>` markers, skills copied, `setup.sh` run, and the Claude Code layer (hooks,
 * commands, settings fragment).
 */
export class AgentskillsAdaptor implements PluginAdaptor {
  readonly kind: string = 'agentskills'

  constructor(
    readonly pluginName: string,
    readonly runtime: string,
  ) {}

  async install(ctx: InstallContext): Promise<void> {
    const { plugin } = await readPlugin(ctx.pluginRoot)
    const blocks = [
      ...plugin.rules.map((r) => `${memoryMarker(this.pluginName, 'rule', r.file)}\n\n${r.content}`),
      ...plugin.promptFragments.map(
        (f) => `${memoryMarker(this.pluginName, 'fragment', f.file)}\n\n${f.content}`,
      ),
    ]
    if (blocks.length > 0) await ctx.appendToMemory(ctx.memoryFilename, blocks.join('\n\n'))
    await copySkills(ctx)
    const problem = await runSetupScript(ctx.pluginRoot, ctx.configsDir, ctx.setupTimeoutMs)
    if (problem) ctx.warn(problem)
    await installClaudeLayer(ctx)
  }
}
