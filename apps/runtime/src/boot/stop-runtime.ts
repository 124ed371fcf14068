import { describeError } from '@molecule/core'
import { buildSnapshot } from '../snapshot/pre-stop-snapshot.js'
import type { PlatformConnection } from './connect-platform.js'
import type { PreparedAdapter } from './prepare-adapter.js'
import type { ResolvedSettings } from './resolve-settings.js'
import type { ServedA2A } from './serve-a2a.js'
import type { SelfPrompts } from './start-self-prompts.js'
import type { WatchingPlugins } from './watch-plugins.js'
import type { WatchingSkills } from './watch-skills.js'
import type { WorkspaceState } from './workspace-state.js'

/** The running pieces `stopRuntime` takes down, in its order. */
export interface RuntimeParts {
  resolved: ResolvedSettings
  state: WorkspaceState
  prepared: PreparedAdapter
  served: ServedA2A
  skillsWatch: WatchingSkills
  pluginsWatch: WatchingPlugins
  connection: PlatformConnection
  /** Settles when the platform parts are in the prompt, or were given up (see complete-prompt.ts). */
  promptCompleted: Promise<void>
  selfPrompts: SelfPrompts
}

/**
 * Phase 8 (SIGTERM/SIGINT or `stop()`). Running tasks get the grace period to finish and the rest are cancelled;
 * the adapter's state and the interrupted task go into the scrubbed pre-stop snapshot; only then do the self-prompts
 * and platform loops stop (the platform keeps seeing heartbeats while tasks drain), and the server closes last.
 */
export async function stopRuntime(parts: RuntimeParts, reason: string): Promise<{ cancelled: number }> {
  const {
    resolved,
    state,
    prepared,
    served,
    skillsWatch,
    pluginsWatch,
    connection,
    promptCompleted,
    selfPrompts,
  } = parts
  const { log, settings, workspaceId } = resolved
  const { activity, snapshots } = state
  log.info({ reason, activeTasks: activity.activeTasks, graceMs: settings.shutdownGraceMs }, 'shutting down')
  // What was running when the stop began: if some of it had to be cancelled, the snapshot names it.
  const interruptedTask = activity.currentTask
  const { canceled } = await served.server.drain({ graceMs: settings.shutdownGraceMs })
  const cancelled = canceled.length
  let adapterState: Record<string, unknown> = {}
  try {
    adapterState = (await prepared.adapter.preStopState?.()) ?? {}
  } catch (err) {
    log.warn({ err: describeError(err) }, 'adapter preStopState failed; snapshot without adapter state')
  }
  const wrote = await snapshots.write(
    buildSnapshot({
      workspaceId,
      currentTask: cancelled > 0 ? activity.currentTask || interruptedTask : activity.currentTask,
      activeTasks: Math.max(activity.activeTasks, cancelled),
      uptimeSeconds: Math.floor((Date.now() - state.startedAt) / 1000),
      adapterState,
    }),
  )
  if (wrote) log.info({ path: snapshots.path }, 'pre-stop snapshot written')
  else log.warn({ path: snapshots.path, err: snapshots.lastError }, 'pre-stop snapshot could not be written')
  state.abort.abort()
  selfPrompts.idle?.stop()
  await Promise.allSettled([
    skillsWatch.close(),
    pluginsWatch.close(),
    connection.registration.stop(),
    connection.heartbeat.stop(),
    connection.delegations.stop(),
    selfPrompts.initialPrompt,
    promptCompleted,
  ])
  await served.server.close()
  // The ledger's final checkpoint covers every task that ran, so it is signed after the last one finished.
  await prepared.governance.close()
  // Last, so the spans of the final tasks and requests are exported too.
  await state.telemetry
    ?.shutdown()
    .catch((err: Error) => log.warn({ err: err.message }, 'trace export failed'))
  log.info({ cancelled }, 'stopped')
  return { cancelled }
}
