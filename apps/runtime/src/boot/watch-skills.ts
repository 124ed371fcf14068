import { join } from 'node:path'
import { loadConfig } from '@molecule/config'
import { describeError } from '@molecule/core'
import { SkillsWatcher } from '@molecule/skills/watch'
import { platformAgentCard, servedAgentCard } from '../agent-card.js'
import { workspaceSetup } from './adapter-config.js'
import type { PreparedAdapter } from './prepare-adapter.js'
import type { ResolvedSettings } from './resolve-settings.js'
import type { ServedA2A } from './serve-a2a.js'
import type { WorkspaceState } from './workspace-state.js'

export interface WatchingSkills {
  /** Stops watching; waits for a reload in progress. Idempotent. */
  close(): Promise<void>
}

/**
 * Phase 5b. Watches `<configs>/skills/` and config.yaml. When a skill's files have been quiet for
 * `MOLECULE_SKILLS_DEBOUNCE_MS` and it reloads without errors, every consumer gets the new version: the card at both
 * well-known paths first (a synchronous swap), then together the platform's copy (`POST /registry/update-card`, once
 * there is a token) and the adapter (`onSkillsChanged` with a rebuilt `SetupResult`: tools, `## Your Skills`).
 * A reload that fails keeps the last good version everywhere (the skills package logs the one error line).
 */
export async function watchSkills(
  resolved: ResolvedSettings,
  state: WorkspaceState,
  prepared: PreparedAdapter,
  served: ServedA2A,
): Promise<WatchingSkills> {
  const { configDir, runtimeEnv, settings, log } = resolved
  const watcher = new SkillsWatcher({
    library: prepared.skills.library,
    roots: prepared.skills.roots,
    configFile: join(configDir, 'config.yaml'),
    readNames: async () => (await loadConfig(configDir, { env: runtimeEnv })).config.skills,
    debounceMs: settings.skillsDebounceMs,
    logger: log.child({ component: 'skills' }),
    onChange: async () => {
      if (state.abort.signal.aborted) return
      served.server.setCard(servedAgentCard(served.cardInput(served.url)))
      await Promise.all([
        updatePlatformCard(resolved, state, served),
        updateAdapter(resolved, state, prepared),
      ])
    },
  })
  try {
    await watcher.start()
  } catch (err) {
    log.warn({ err: describeError(err) }, 'skills watcher did not start; skills reload only on restart')
    await watcher.close().catch(() => undefined)
  }
  let closing: Promise<void> | undefined
  return {
    close: () => {
      closing ??= watcher.close()
      return closing
    },
  }
}

/** The platform's copy of the card; without a token yet, the first register sends the current card anyway. */
export async function updatePlatformCard(
  { log }: ResolvedSettings,
  { platform, tokens, abort }: WorkspaceState,
  served: ServedA2A,
): Promise<void> {
  if (tokens.read() === undefined) return
  try {
    await platform.updateCard(platformAgentCard(served.cardInput(served.url)), { signal: abort.signal })
    log.info('agent card updated on the platform')
  } catch (err) {
    log.warn(
      { err: describeError(err) },
      'platform did not take the updated agent card; the next register sends it',
    )
  }
}

/** The adapter gets a rebuilt `SetupResult` (prompt, skills, tools) through `onSkillsChanged`. */
export async function updateAdapter(
  resolved: ResolvedSettings,
  state: WorkspaceState,
  prepared: PreparedAdapter,
): Promise<void> {
  const { log } = resolved
  const setup = await workspaceSetup(resolved, state, prepared, prepared.promptHasPlatformParts)
  prepared.adapterConfig.setup = setup
  try {
    await prepared.adapter.onSkillsChanged?.(setup)
  } catch (err) {
    log.warn(
      { err: describeError(err) },
      'adapter onSkillsChanged failed; config.setup has the reloaded skills',
    )
  }
}
