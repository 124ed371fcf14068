import { completePromptWhenConnected } from './boot/complete-prompt.js'
import { connectPlatform } from './boot/connect-platform.js'
import { loadTelemetry } from './boot/load-telemetry.js'
import { preflight } from './boot/preflight.js'
import { prepareAdapter } from './boot/prepare-adapter.js'
import { resolveSettings } from './boot/resolve-settings.js'
import { serveA2A } from './boot/serve-a2a.js'
import { startSelfPrompts } from './boot/start-self-prompts.js'
import { stopRuntime } from './boot/stop-runtime.js'
import type { RunningRuntime, StartRuntimeOptions } from './boot/types.js'
import { watchPlugins } from './boot/watch-plugins.js'
import { watchSkills } from './boot/watch-skills.js'
import { workspaceState } from './boot/workspace-state.js'
import { openGovernance } from './governance/governance.js'

/**
 * Boots one workspace runtime, phase by phase (the README's boot sequence lists the same steps): resolve the
 * environment and config.yaml, preflight (a failing report aborts), the shared workspace state, governance (audit
 * log, compliance, approvals, ledger), the adapter, the A2A server, the platform connection (registration retried
 * in the background while A2A already serves, heartbeats, delegation results) with the skills and plugins watchers
 * starting beside it, the platform parts of the prompt once there is a token, the self-prompts. Does not install
 * signal handlers: the CLI and `dev` own the process.
 */
export async function startRuntime(options: StartRuntimeOptions = {}): Promise<RunningRuntime> {
  const resolved = await resolveSettings(options)
  await preflight(resolved)
  const state = workspaceState(resolved, await loadTelemetry(resolved))
  const governance = await openGovernance(resolved)
  const prepared = await prepareAdapter(resolved, state, governance)
  const served = await serveA2A(resolved, state, prepared)
  // Registration does not wait for the watchers' first scan of the config dir; the watchers scan side by side, and
  // the runtime is returned once both watch.
  const connection = connectPlatform(resolved, state, prepared, served)
  const [skillsWatch, pluginsWatch] = await Promise.all([
    watchSkills(resolved, state, prepared, served),
    watchPlugins(resolved, state, prepared, served),
  ])
  const promptCompleted = completePromptWhenConnected(resolved, state, prepared, connection)
  const selfPrompts = startSelfPrompts(resolved, state, served, connection)

  const parts = {
    resolved,
    state,
    prepared,
    served,
    skillsWatch,
    pluginsWatch,
    connection,
    promptCompleted,
    selfPrompts,
  }
  let stopping: Promise<{ cancelled: number }> | undefined
  return {
    workspaceId: resolved.workspaceId,
    url: served.url,
    port: served.port,
    adapter: prepared.adapter,
    activity: state.activity,
    wedge: state.wedge,
    shutdownGraceMs: resolved.settings.shutdownGraceMs,
    registered: connection.registered,
    stop(reason = 'stop') {
      stopping ??= stopRuntime(parts, reason)
      return stopping
    },
  }
}
