import { mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import { type Adapter, type AgentTool, defineExecutor, type Executor } from '@molecule/adapter-core'
import { loadAdapter } from '@molecule/adapter-core/runtime'
import { describeError } from '@molecule/core'
import type { Governance } from '../governance/governance.js'
import { governExecutor } from '../governance/governed-executor.js'
import type { WorkspacePlugins } from '../plugins/workspace-plugins.js'
import type { WorkspaceSkills } from '../skills/workspace-skills.js'
import { type AdapterConfigWithSetup, adapterConfigFor } from './adapter-config.js'
import { bootFailure } from './boot-failure.js'
import type { ResolvedSettings } from './resolve-settings.js'
import type { WorkspaceState } from './workspace-state.js'

export interface PreparedAdapter {
  adapter: Adapter
  executor: Executor
  /** Listed on both agent cards; reloaded while the runtime runs (see watch-skills.ts). */
  skills: WorkspaceSkills
  /** Found again when `<configs>/plugins/` changes (see watch-plugins.ts). */
  plugins: WorkspacePlugins
  /** The platform tools bound to this workspace (the skills' tools are added after them). */
  builtinTools: AgentTool[]
  /** The config `setup` and `createExecutor` received; its `setup` is replaced when the prompt is completed. */
  adapterConfig: AdapterConfigWithSetup
  /** False until the platform parts are in the system prompt (see complete-prompt.ts). */
  promptHasPlatformParts: boolean
  /** Audit log, compliance, approvals and ledger; the executor above already runs inside them. */
  governance: Governance
}

/**
 * Phase 4. Loads the adapter, runs `setup()` and `createExecutor()` with its `AdapterConfig` (the executor wrapped in
 * the workspace's governance), makes sure the
 * workspace directories exist and hands the adapter the pre-stop snapshot of the previous run, if any.
 */
export async function prepareAdapter(
  resolved: ResolvedSettings,
  state: WorkspaceState,
  governance: Governance,
): Promise<PreparedAdapter> {
  const { config, settings, log } = resolved
  const { adapter, source } = await loadAdapter(resolved.adapterQuery).catch((err: unknown) => {
    throw bootFailure(err, 'ADAPTER_LOAD_FAILED')
  })
  log.info(
    { adapter: adapter.name, source },
    `Runtime: ${config.runtime} (${adapter.displayName ?? adapter.name})`,
  )
  const { adapterConfig, skills, plugins, builtinTools, promptHasPlatformParts } = await adapterConfigFor(
    resolved,
    state,
    adapter,
    governance,
  )
  await plugins.install(adapter, adapterConfig)
  let executor: Executor
  try {
    await adapter.setup?.(adapterConfig)
    executor = governExecutor(defineExecutor(await adapter.createExecutor(adapterConfig)), governance)
    if (state.telemetry) executor = state.telemetry.traceExecutor(executor)
  } catch (err) {
    throw bootFailure(
      err,
      'ADAPTER_SETUP_FAILED',
      (detail) => `Adapter "${adapter.name}" failed to start: ${detail}`,
    )
  }
  // The agent's working tree and its chat-uploads dir must exist; failing here is not fatal (read-only mounts).
  await mkdir(join(settings.workspaceDir, '.molecule', 'chat-uploads'), { recursive: true }).catch(
    (err: Error) =>
      log.warn({ err: err.message, dir: settings.workspaceDir }, 'workspace directory is not writable'),
  )
  await restorePreviousRun(adapter, resolved, state)
  return {
    adapter,
    executor,
    skills,
    plugins,
    builtinTools,
    adapterConfig,
    promptHasPlatformParts,
    governance,
  }
}

/** A snapshot the adapter cannot restore is logged and skipped: the workspace starts fresh rather than not at all. */
async function restorePreviousRun(
  adapter: Adapter,
  { log, workspaceId }: ResolvedSettings,
  { snapshots }: WorkspaceState,
): Promise<void> {
  const previous = await snapshots.read()
  if (!previous) return
  if (previous.workspace_id !== workspaceId) {
    // Another workspace's memory of its last run is not this one's: a shared state directory must not mix them.
    log.warn(
      { path: snapshots.path, snapshotWorkspaceId: previous.workspace_id },
      'the pre-stop snapshot belongs to another workspace id; not restored',
    )
    return
  }
  try {
    await adapter.restoreState?.(previous)
    log.info({ from: previous.timestamp }, 'restored pre-stop snapshot')
  } catch (err) {
    log.warn({ err: describeError(err) }, 'adapter could not restore the pre-stop snapshot; starting fresh')
  }
}
