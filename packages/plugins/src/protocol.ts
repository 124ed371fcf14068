import type { Logger } from '@molecule/core'
import type { AdaptorSource } from './install-record.js'

/** What an adaptor's install sees. Every write through it is recorded, so uninstall can undo exactly that. */
export interface InstallContext {
  configsDir: string
  workspaceId: string
  /** The adapter's name in snake_case (`claude_code`, `deepagents`). */
  runtime: string
  pluginName: string
  pluginRoot: string
  /** The adapter's long-lived memory file under the configs dir (default `CLAUDE.md`). */
  memoryFilename: string
  /** How long a plugin's `setup.sh` may run (default 120 s). */
  setupTimeoutMs: number
  /** Hands a tool to runtimes with a dynamic tool registry (a no-op elsewhere). */
  registerTool(name: string, tool: unknown): void
  /** Hands a sub-agent to runtimes that have them (a no-op elsewhere). */
  registerSubagent(name: string, spec: unknown): void
  /** Appends a block to a memory file once (idempotent by its first line). */
  appendToMemory(filename: string, content: string): Promise<void>
  /** Writes a file under the configs dir; never replaces a different file it did not write. False when kept. */
  writeFile(relativePath: string, data: string | Uint8Array, mode?: number): Promise<boolean>
  /** Merges hooks, `mcpServers` and other keys into `.claude/settings.json` (see `mergeSettings`). */
  mergeSettings(fragment: Record<string, unknown>, from: string): Promise<void>
  /** True when this plugin's previous install created that configs-relative file or folder (a reinstall). */
  installedBefore(relativePath: string): boolean
  warn(message: string): void
  logger: Logger
}

export interface InstallResult {
  pluginName: string
  runtime: string
  source: AdaptorSource
  /** Configs-relative paths of the files this install wrote. */
  filesWritten: string[]
  toolsRegistered: string[]
  subagentsRegistered: string[]
  warnings: string[]
}

/** How a plugin is installed for one runtime. */
export interface PluginAdaptor {
  readonly pluginName: string
  readonly runtime: string
  /** Shown by `plugins list` (`agentskills`, `mcp-server`, `claude-code`, `raw-drop`, or the plugin's own name). */
  readonly kind?: string
  /** Anything not done through the context is not undone by uninstall. */
  // biome-ignore lint/suspicious/noConfusingVoidType: an adaptor may report nothing; the installer records its writes
  install(ctx: InstallContext): Promise<Partial<InstallResult> | undefined | void>
  /** Extra clean-up; what went through the context is removed by the installer from the install record. */
  uninstall?(ctx: InstallContext): Promise<void>
}

/** `claude-code` → `claude_code`: runtime keys of adaptor files and registries are snake_case. */
export function runtimeKey(runtime: string): string {
  return runtime.trim().replace(/-/g, '_')
}
