import { relative, resolve, sep } from 'node:path'
import { loadConfig } from '@molecule/config'
import { describeError } from '@molecule/core'
import { type FSWatcher, watch } from 'chokidar'
import { servedAgentCard } from '../agent-card.js'
import type { PreparedAdapter } from './prepare-adapter.js'
import type { ResolvedSettings } from './resolve-settings.js'
import type { ServedA2A } from './serve-a2a.js'
import { updateAdapter, updatePlatformCard } from './watch-skills.js'
import type { WorkspaceState } from './workspace-state.js'

export interface WatchingPlugins {
  /** Stops watching; waits for a refresh in progress. Idempotent. */
  close(): Promise<void>
}

/**
 * Only `<configs>/plugins/**` and config.yaml matter here; the rest of the configs dir is not even walked. Inside a
 * folder the skills watcher watches (a plugin's `skills/` found at boot) an edit is its to reload: seen here too, it
 * would reinstall every plugin and reach the adapter a second time.
 */
function relevant(configDir: string, skillRoots: readonly string[], path: string): boolean {
  const full = resolve(path)
  if (skillRoots.some((root) => full.startsWith(root + sep))) return false
  const rel = relative(configDir, full)
  return rel === '' || rel === 'config.yaml' || rel === 'plugins' || rel.startsWith(`plugins${sep}`)
}

/**
 * Phase 5c. Watches `<configs>/plugins/` and config.yaml's `plugins:`. Once they have been quiet for
 * `MOLECULE_SKILLS_DEBOUNCE_MS`, the plugins are found again and installed (a dropped-in plugin's hooks and memory
 * rules land, a removed or disabled one's are undone), their skills reloaded, and when what the agent sees changed
 * the consumers get it as after a skill change: the card first, then the platform's card and the adapter's prompt.
 * `PLUGINS_DIR` (a host mount shared by workspaces) is read at boot only.
 */
export async function watchPlugins(
  resolved: ResolvedSettings,
  state: WorkspaceState,
  prepared: PreparedAdapter,
  served: ServedA2A,
): Promise<WatchingPlugins> {
  const { configDir, runtimeEnv, settings, log } = resolved
  let timer: NodeJS.Timeout | undefined
  let queue: Promise<void> = Promise.resolve()
  let closed = false
  const refresh = async (): Promise<void> => {
    if (closed || state.abort.signal.aborted) return
    const enabled = await loadConfig(configDir, { env: runtimeEnv }).then(
      ({ config }) => config.plugins,
      () => undefined,
    )
    const changed = await prepared.plugins.refresh(enabled)
    await prepared.plugins.install(prepared.adapter, prepared.adapterConfig)
    const skills = await prepared.skills.library.setPluginSkillDirs(prepared.plugins.loaded.pluginSkillDirs())
    if (!changed && !skills.changed) return
    log.info(
      { plugins: prepared.plugins.loaded.plugins.map((p) => p.name) },
      'plugins changed; agent updated',
    )
    served.server.setCard(servedAgentCard(served.cardInput(served.url)))
    await Promise.all([updatePlatformCard(resolved, state, served), updateAdapter(resolved, state, prepared)])
  }
  const schedule = (): void => {
    if (closed) return
    clearTimeout(timer)
    timer = setTimeout(() => {
      queue = queue
        .then(refresh)
        .catch((err: unknown) =>
          log.warn({ err: describeError(err) }, 'plugins refresh failed; will retry on the next change'),
        )
    }, settings.skillsDebounceMs)
  }
  let watcher: FSWatcher | undefined
  try {
    const skillRoots = prepared.skills.roots.map((root) => resolve(root))
    watcher = watch(configDir, {
      ignoreInitial: true,
      ignored: (path: string) => !relevant(configDir, skillRoots, path),
    })
    watcher.on('all', schedule)
    watcher.on('error', (err) => log.warn({ err: (err as Error).message }, 'plugins watcher error'))
    const ready = watcher
    await new Promise<void>((done) => ready.once('ready', () => done()))
  } catch (err) {
    log.warn({ err: describeError(err) }, 'plugins watcher did not start; plugins change only on restart')
  }
  let closing: Promise<void> | undefined
  return {
    close: () => {
      closed = true
      clearTimeout(timer)
      closing ??= Promise.resolve(watcher?.close()).then(() => queue)
      return closing
    },
  }
}
