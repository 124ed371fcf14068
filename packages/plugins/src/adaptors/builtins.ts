import type { PluginAdaptor } from '../protocol.js'
import { AgentskillsAdaptor } from './agentskills.js'
import { ClaudeCodePluginAdaptor } from './claude-code-plugin.js'
import { MCPServerAdaptor } from './mcp-server.js'
import { RawDropAdaptor } from './raw-drop.js'

export type AdaptorClass = new (pluginName: string, runtime: string) => PluginAdaptor

/** The built-in adaptors by the class names plugins import them under (also in their Python re-exports). */
export const BUILTIN_ADAPTORS: Readonly<Record<string, AdaptorClass>> = {
  AgentskillsAdaptor,
  MCPServerAdaptor,
  RawDropAdaptor,
  ClaudeCodePluginAdaptor,
}
