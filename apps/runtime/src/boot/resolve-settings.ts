import type { LoadAdapterOptions } from '@molecule/adapter-core/runtime'
import { loadConfig, loadEnv, type RuntimeEnv, type WorkspaceConfig } from '@molecule/config'
import { type Logger, maskSecrets, rememberEnvSecrets } from '@molecule/core'
import { builtinAdapters } from '../adapters/index.js'
import { runtimeLogger } from '../logger.js'
import { type RuntimeSettings, readRuntimeSettings } from '../runtime-settings.js'
import { BootFailure, bootFailure } from './boot-failure.js'
import type { StartRuntimeOptions } from './types.js'

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/** Everything the later phases read: the environment, this workspace's identity, its config and its logger. */
export interface ResolvedSettings {
  /** The raw environment (the platform tools read their own variables from it). */
  env: NodeJS.ProcessEnv
  /** Runtime-only settings: timers, bind address, grace period, log level. */
  settings: RuntimeSettings
  /** Shared workspace variables of `@molecule/config`. */
  runtimeEnv: RuntimeEnv
  workspaceId: string
  /** Directory of `config.yaml` (`WORKSPACE_CONFIG_PATH`). */
  configDir: string
  config: WorkspaceConfig
  /** Every line carries `workspaceId`, bound here once. */
  log: Logger
  /** Where the adapter comes from: `ADAPTER_MODULE`, else the built-in named by config `runtime`. */
  adapterQuery: LoadAdapterOptions
}

/**
 * Phase 1. Reads the environment (`WORKSPACE_ID` required; bad numbers name their variable), builds the logger and
 * loads `config.yaml`. Every mistake is a `BootFailure` the CLI prints without a stack.
 */
export async function resolveSettings(options: StartRuntimeOptions): Promise<ResolvedSettings> {
  const env = options.env ?? process.env
  // API keys and tokens in the environment are masked wherever they would appear, from the first log line on.
  rememberEnvSecrets(env)
  let settings: RuntimeSettings
  let runtimeEnv: RuntimeEnv
  try {
    runtimeEnv = loadEnv(env, options.inContainer === undefined ? {} : { inContainer: options.inContainer })
    settings = readRuntimeSettings(env, {
      inContainer: runtimeEnv.inContainer,
      stateDir: runtimeEnv.configsDir,
    })
  } catch (err) {
    throw bootFailure(err, 'ENV_INVALID')
  }
  const workspaceId = runtimeEnv.workspaceId
  if (!workspaceId) {
    throw new BootFailure('WORKSPACE_ID_MISSING', 'WORKSPACE_ID is not set.', 1, {
      path: 'WORKSPACE_ID',
      fix: "Set WORKSPACE_ID to this workspace's UUID.",
    })
  }
  if (!UUID.test(workspaceId)) {
    // The platform's ids are UUIDs: anything else is refused at register with a 400 that retrying cannot fix.
    throw new BootFailure(
      'WORKSPACE_ID_INVALID',
      `WORKSPACE_ID "${maskSecrets(workspaceId).slice(0, 60)}" is not a UUID.`,
      1,
      {
        path: 'WORKSPACE_ID',
        fix: "Set WORKSPACE_ID to the workspace's id as the platform shows it (for example 4f0c9d7e-4a5b-4c1d-9e2f-0a1b2c3d4e5f).",
      },
    )
  }
  // A caller's logger gets `workspaceId` from us; our own binds it at creation. Either way it is on a line once.
  const log = options.logger
    ? options.logger.child({ workspaceId })
    : runtimeLogger(settings.logLevel, { workspaceId })
  const configDir = runtimeEnv.configPath
  const loaded = await loadConfig(configDir, { env: runtimeEnv }).catch((err: unknown) => {
    throw bootFailure(err, 'CONFIG_INVALID')
  })
  for (const warning of loaded.warnings) log.warn({ configDir }, warning)
  const adapterQuery: LoadAdapterOptions = {
    adapterModule: runtimeEnv.adapterModule,
    // An empty config.yaml means the default runtime (langgraph); its messages say so rather than quote the user.
    runtime: loaded.config.runtime,
    builtins: options.builtins ?? builtinAdapters,
    ...(options.cwd !== undefined ? { cwd: options.cwd } : {}),
  }
  return { env, settings, runtimeEnv, workspaceId, configDir, config: loaded.config, log, adapterQuery }
}
