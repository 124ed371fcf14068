import { type Logger, silentLogger } from '@molecule/core'
import type { LoadedPlugins } from './discovery.js'
import { type InstallOptions, installPlugin, type PluginInstallOutcome } from './install.js'
import { listRecords } from './install-record.js'
import { type UninstallResult, uninstallPlugin } from './uninstall.js'

export interface SyncResult {
  installed: PluginInstallOutcome[]
  /** Plugins uninstalled because config.yaml `plugins:` disabled them or their folder is gone. */
  removed: UninstallResult[]
  /** Plugins that failed to install, by name (each already logged). */
  failed: { plugin: string; error: string }[]
}

/**
 * Undoes the installs of plugins that are no longer enabled (config.yaml `plugins:` leaves them out) or whose
 * folder is gone, so their hooks and memory rules stop.
 */
export async function removeStaleInstalls(
  loaded: LoadedPlugins,
  options: InstallOptions,
): Promise<UninstallResult[]> {
  const log: Logger = options.logger ?? silentLogger
  const enabled = new Set(loaded.plugins.map((p) => p.name))
  const removed: UninstallResult[] = []
  for (const record of await listRecords(options.configsDir)) {
    if (enabled.has(record.plugin)) continue
    const result = await uninstallPlugin(options.configsDir, record.plugin)
    log.info(
      { plugin: record.plugin, files: result.filesRemoved.length },
      'plugin disabled or gone; uninstalled',
    )
    for (const warning of result.warnings) log.warn({ plugin: record.plugin }, warning)
    removed.push(result)
  }
  return removed
}

/**
 * Brings the configs dir in line with the plugins found: installs of disabled or gone plugins undone
 * (`removeStaleInstalls`), every enabled plugin installed (a no-op when it already is). One plugin's failure is
 * logged and does not stop the others.
 */
export async function syncPlugins(loaded: LoadedPlugins, options: InstallOptions): Promise<SyncResult> {
  const log: Logger = options.logger ?? silentLogger
  const result: SyncResult = {
    installed: [],
    removed: await removeStaleInstalls(loaded, options),
    failed: [],
  }
  for (const plugin of loaded.plugins) {
    try {
      const outcome = await installPlugin(plugin, options)
      log.info(
        {
          plugin: plugin.name,
          source: outcome.source,
          adaptor: outcome.adaptor,
          warnings: outcome.warnings.length,
        },
        'plugin installed',
      )
      for (const warning of outcome.warnings) log.warn({ plugin: plugin.name }, warning)
      result.installed.push(outcome)
    } catch (err) {
      const error = err instanceof Error ? err.message : String(err)
      log.warn({ plugin: plugin.name, err: error }, 'plugin install failed; skipped')
      result.failed.push({ plugin: plugin.name, error })
    }
  }
  return result
}
