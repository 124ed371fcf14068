export { AgentskillsAdaptor, copySkills } from './adaptors/agentskills.js'
export { BUILTIN_ADAPTORS } from './adaptors/builtins.js'
export { ClaudeCodePluginAdaptor } from './adaptors/claude-code-plugin.js'
export { installClaudeLayer, SETTINGS_FRAGMENT } from './adaptors/claude-layer.js'
export { MCPServerAdaptor } from './adaptors/mcp-server.js'
export { RawDropAdaptor } from './adaptors/raw-drop.js'
export { SETTINGS_FILE } from './claude-settings.js'
export {
  isEnabled,
  type LoadedPlugins,
  type LoadPluginsOptions,
  loadPlugins,
  type Plugin,
  type PluginText,
  readPlugin,
} from './discovery.js'
export {
  type InstallOptions,
  installPlugin,
  installPluginFrom,
  type PluginInstallOutcome,
} from './install.js'
export {
  type AdaptorSource,
  type Claim,
  type InstallRecord,
  listRecords,
  type MemoryChunk,
  RECORDS_DIR,
  readRecord,
} from './install-record.js'
export { CLAUDE_MANIFEST, MOLECULE_MANIFEST, type PluginFormat, type PluginManifest } from './manifest.js'
export { memoryMarker } from './memory-file.js'
export { PluginError } from './plugin-error.js'
export { type InstallContext, type InstallResult, type PluginAdaptor, runtimeKey } from './protocol.js'
export { reexportedBuiltin } from './python-reexport.js'
export {
  type AdaptorModule,
  type AdaptorRegistry,
  type ResolvedAdaptor,
  resolveAdaptor,
} from './resolve-adaptor.js'
export { DEFAULT_SETUP_TIMEOUT_MS, runSetupScript } from './setup-script.js'
export { removeStaleInstalls, type SyncResult, syncPlugins } from './sync.js'
export { type UninstallResult, uninstallPlugin } from './uninstall.js'
