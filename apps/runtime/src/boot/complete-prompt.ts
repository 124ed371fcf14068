import { describeError } from '@molecule/core'
import { workspaceSetup } from './adapter-config.js'
import type { PlatformConnection } from './connect-platform.js'
import type { PreparedAdapter } from './prepare-adapter.js'
import type { ResolvedSettings } from './resolve-settings.js'
import type { WorkspaceState } from './workspace-state.js'

/**
 * Phase 6b. A first boot has no token, so the adapter was set up with a prompt without the platform's parts
 * (instructions, peers, the parent's context): asking for them then could only earn a 401 or 404. Once the first
 * register has minted the token, they are fetched in the background, the prompt is rebuilt, `setup` of the
 * adapter's config is replaced and the adapter hears of it through `onSkillsChanged`. Registration never waits for
 * this. Settles (never rejects) when done, skipped, or cut short by `stop`.
 */
export async function completePromptWhenConnected(
  resolved: ResolvedSettings,
  state: WorkspaceState,
  prepared: PreparedAdapter,
  { ready }: PlatformConnection,
): Promise<void> {
  if (prepared.promptHasPlatformParts) return
  const { log } = resolved
  const { abort } = state
  if (abort.signal.aborted) return
  const stopped = new Promise<void>((resolve) =>
    abort.signal.addEventListener('abort', () => resolve(), { once: true }),
  )
  await Promise.race([ready, stopped])
  if (abort.signal.aborted) return
  const setup = await workspaceSetup(resolved, state, prepared, true)
  if (abort.signal.aborted) return
  const { adapter, adapterConfig } = prepared
  adapterConfig.setup = setup
  prepared.promptHasPlatformParts = true
  try {
    await adapter.onSkillsChanged?.(setup)
    log.info('system prompt completed')
  } catch (err) {
    log.warn(
      { err: describeError(err) },
      'adapter onSkillsChanged failed; config.setup has the completed prompt',
    )
  }
}
