import { join } from 'node:path'
import { isDirectory } from '../files.js'
import type { InstallContext, PluginAdaptor } from '../protocol.js'
import { copySkills } from './agentskills.js'
import { readFragment } from './claude-layer.js'
import { copyTree } from './copy-files.js'
import { withPluginRoot } from './mcp-server.js'

/**
 * A Claude Code plugin (`.claude-plugin/plugin.json`): `hooks/hooks.json` and `.mcp.json` merged into
 * `.claude/settings.json` with `${CLAUDE_PLUGIN_ROOT}` pointing at the plugin folder, `commands/*.md` and
 * `agents/*.md` copied under `.claude/`, skills copied like the agentskills shape.
 */
export class ClaudeCodePluginAdaptor implements PluginAdaptor {
  readonly kind: string = 'claude-code'

  constructor(
    readonly pluginName: string,
    readonly runtime: string,
  ) {}

  async install(ctx: InstallContext): Promise<void> {
    const root = ctx.pluginRoot
    for (const folder of ['commands', 'agents'])
      if (await isDirectory(join(root, folder)))
        await copyTree(ctx, join(root, folder), `.claude/${folder}`, { keep: (rel) => rel.endsWith('.md') })
    await copySkills(ctx)
    for (const file of [join(root, 'hooks', 'hooks.json'), join(root, '.mcp.json')]) {
      const fragment = await readFragment(ctx, file)
      if (fragment) await ctx.mergeSettings(withPluginRoot(fragment, root), file)
    }
  }
}
