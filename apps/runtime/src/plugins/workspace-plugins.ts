import { join } from 'node:path'
import type { Adapter, AdapterConfig } from '@molecule/adapter-core'
import { describeError, type Logger } from '@molecule/core'
import { type LoadedPlugins, loadPlugins, removeStaleInstalls, syncPlugins } from '@molecule/plugins'

export interface WorkspacePluginsOptions {
  /** The configs dir: plugins are `<configDir>/plugins/<name>/`. */
  configDir: string
  /** `PLUGINS_DIR`: plugins shared by every workspace on the host. */
  sharedDir: string
  /** config.yaml `plugins:` (empty: all enabled). */
  enabled: readonly string[]
  workspaceId: string
  log: Logger
}

/** The plugins of a running workspace: found at boot, installed for its adapter, found again when they change. */
export class WorkspacePlugins {
  #loaded: LoadedPlugins
  #enabled: readonly string[]
  readonly #options: WorkspacePluginsOptions

  private constructor(loaded: LoadedPlugins, options: WorkspacePluginsOptions) {
    this.#loaded = loaded
    this.#enabled = options.enabled
    this.#options = options
  }

  static async load(options: WorkspacePluginsOptions): Promise<WorkspacePlugins> {
    const plugins = new WorkspacePlugins(await WorkspacePlugins.#find(options, options.enabled), options)
    plugins.#logFound()
    return plugins
  }

  static async #find(options: WorkspacePluginsOptions, enabled: readonly string[]): Promise<LoadedPlugins> {
    const loaded = await loadPlugins({
      workspaceDir: join(options.configDir, 'plugins'),
      sharedDir: options.sharedDir,
      enabled,
    })
    for (const warning of loaded.warnings) options.log.warn({ component: 'plugins' }, warning)
    return loaded
  }

  get loaded(): LoadedPlugins {
    return this.#loaded
  }

  /** The `## Platform Rules` and `## Platform Guidelines` texts of the enabled plugins. */
  promptParts(): { pluginRules: string[]; pluginPrompts: string[] } {
    return { pluginRules: this.#loaded.rules, pluginPrompts: this.#loaded.promptFragments }
  }

  /**
   * Installs the enabled plugins for the adapter: its own `installPlugins` when it has one, else the built-in
   * adaptors; installs of plugins that are now disabled or gone are undone first. Never throws: a plugin that fails
   * is logged and skipped, the workspace boots without it.
   */
  async install(adapter: Adapter, config: AdapterConfig): Promise<void> {
    const { configDir, log } = this.#options
    const options = {
      configsDir: configDir,
      runtime: adapter.name,
      workspaceId: this.#options.workspaceId,
      memoryFilename: adapter.memoryFilename?.() ?? 'CLAUDE.md',
      logger: log.child({ component: 'plugins' }),
    }
    try {
      if (!adapter.installPlugins) {
        await syncPlugins(this.#loaded, options)
        return
      }
      await removeStaleInstalls(this.#loaded, options)
      const results = await adapter.installPlugins(config, this.#loaded.plugins)
      for (const result of results)
        log.info(
          { plugin: result.plugin, source: result.source, warnings: result.warnings.length },
          'plugin installed',
        )
    } catch (err) {
      log.warn({ err: describeError(err) }, 'plugins not installed; the workspace runs without their hooks')
    }
  }

  /** Finds the plugins again (config.yaml `plugins:` may have changed too); true when what they contribute changed. */
  async refresh(enabled: readonly string[] = this.#enabled): Promise<boolean> {
    const before = this.#fingerprint()
    this.#enabled = enabled
    this.#loaded = await WorkspacePlugins.#find(this.#options, enabled)
    const changed = this.#fingerprint() !== before
    if (changed) this.#logFound()
    return changed
  }

  #fingerprint(): string {
    const l = this.#loaded
    return JSON.stringify([
      l.plugins.map((p) => [p.name, p.path, p.manifest.version]),
      l.rules,
      l.promptFragments,
    ])
  }

  #logFound(): void {
    const { plugins, disabled } = this.#loaded
    if (plugins.length + disabled.length === 0) return
    this.#options.log.info(
      { plugins: plugins.map((p) => p.name), disabled: disabled.map((p) => p.name) },
      `plugins: ${plugins.map((p) => p.name).join(', ') || 'none enabled'}`,
    )
  }
}
