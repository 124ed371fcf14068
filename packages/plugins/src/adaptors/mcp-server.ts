import { join } from 'node:path'
import { substitute } from '../json-format.js'
import type { InstallContext } from '../protocol.js'
import { AgentskillsAdaptor } from './agentskills.js'
import { readFragment } from './claude-layer.js'

/** `${CLAUDE_PLUGIN_ROOT}` → the plugin folder, in every string of a fragment. */
export function withPluginRoot(fragment: Record<string, unknown>, root: string): Record<string, unknown> {
  return substitute(fragment, { CLAUDE_PLUGIN_ROOT: root }) as Record<string, unknown>
}

/**
 * A plugin that ships an MCP server: everything the agentskills shape does, plus the root `.mcp.json`'s
 * `mcpServers` merged into `.claude/settings.json` (`${CLAUDE_PLUGIN_ROOT}` pointing at the plugin folder).
 */
export class MCPServerAdaptor extends AgentskillsAdaptor {
  override readonly kind: string = 'mcp-server'

  override async install(ctx: InstallContext): Promise<void> {
    await super.install(ctx)
    const file = join(ctx.pluginRoot, '.mcp.json')
    const fragment = await readFragment(ctx, file)
    if (fragment) await ctx.mergeSettings(withPluginRoot(fragment, ctx.pluginRoot), file)
  }
}
