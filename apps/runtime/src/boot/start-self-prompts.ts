import { join } from 'node:path'
import { advertisedUrl } from '../agent-card.js'
import { IdleLoop, runInitialPrompt } from '../self-prompts.js'
import type { PlatformConnection } from './connect-platform.js'
import type { ResolvedSettings } from './resolve-settings.js'
import type { ServedA2A } from './serve-a2a.js'
import type { WorkspaceState } from './workspace-state.js'

export interface SelfPrompts {
  /** Settles when the initial prompt was sent, skipped or given up; never rejects. */
  initialPrompt: Promise<unknown>
  idle: IdleLoop | undefined
}

/**
 * Phase 7. Once the platform loops run: config `initial_prompt` (once per workspace, after the A2A server answers
 * its own card URL) and the idle loop for `idle_prompt`. Both go through the platform proxy and stop with `abort`.
 */
export function startSelfPrompts(
  resolved: ResolvedSettings,
  state: WorkspaceState,
  { port }: ServedA2A,
  { ready }: PlatformConnection,
): SelfPrompts {
  const { config, configDir, settings, log } = resolved
  const { platform, activity, abort } = state
  // The readiness probe must reach the socket we bound: loopback for wildcard binds, else the bound address.
  const probeHost = ['0.0.0.0', '::', ''].includes(settings.a2aHost) ? '127.0.0.1' : settings.a2aHost
  const initialPrompt = config.initial_prompt
    ? ready
        .then(() =>
          runInitialPrompt({
            prompt: config.initial_prompt,
            platform,
            markerPaths: [
              join(configDir, '.initial_prompt_done'),
              join(settings.workspaceDir, '.initial_prompt_done'),
            ],
            readinessUrl: `${advertisedUrl(probeHost, port)}/.well-known/agent-card.json`,
            readinessIntervalMs: settings.readinessIntervalMs,
            signal: abort.signal,
            logger: log.child({ component: 'initial-prompt' }),
          }),
        )
        .catch(() => undefined)
    : Promise.resolve()
  if (!config.idle_prompt) return { initialPrompt, idle: undefined }
  const idle = new IdleLoop({
    prompt: config.idle_prompt,
    platform,
    intervalMs: settings.idleIntervalMs ?? config.idle_interval_seconds * 1000,
    ...(settings.idleSettleMs !== undefined ? { settleMs: settings.idleSettleMs } : {}),
    activeTasks: () => activity.activeTasks,
    logger: log.child({ component: 'idle' }),
  })
  void ready.then(() => {
    if (!abort.signal.aborted) idle.start()
  })
  log.info({ intervalSeconds: config.idle_interval_seconds }, 'Idle loop: enabled')
  return { initialPrompt, idle }
}
