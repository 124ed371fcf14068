import { join, resolve } from 'node:path'
import { isDirectory } from '../files.js'
import type { InstallContext, PluginAdaptor } from '../protocol.js'
import { copyTree } from './copy-files.js'

/**
 * No adaptor for this runtime: the plugin's files are dropped into `<configs>/plugins/<name>/` (unless a copy is
 * there already) and nothing is wired; the warning says so.
 */
export class RawDropAdaptor implements PluginAdaptor {
  readonly kind: string = 'raw-drop'

  constructor(
    readonly pluginName: string,
    readonly runtime: string,
  ) {}

  async install(ctx: InstallContext): Promise<void> {
    const target = `plugins/${this.pluginName}`
    const inPlace = resolve(ctx.pluginRoot) === resolve(ctx.configsDir, target)
    if (!inPlace && (!(await isDirectory(join(ctx.configsDir, target))) || ctx.installedBefore(target)))
      await copyTree(ctx, ctx.pluginRoot, target, { exact: true })
    ctx.warn(
      `plugin "${this.pluginName}" has no adaptor for runtime "${this.runtime}": its files are in ` +
        `${join(ctx.configsDir, target)}, and no tools or sub-agents were wired`,
    )
  }
}
