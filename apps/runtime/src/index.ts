export {
  ADAPTER_PACKAGES,
  builtinAdapters,
  cliRuntimeConfigSchema,
  createCliAdapter,
  echoAdapter,
  loadAdapterPackage,
  runCommand,
} from './adapters/index.js'
export type { CommandRunOptions, CommandRunResult } from './adapters/run-command.js'
export { advertisedHost, advertisedUrl, platformAgentCard, servedAgentCard } from './agent-card.js'
export { bindTools } from './bind-tools.js'
export { BootFailure } from './boot/boot-failure.js'
export type { RunningRuntime, StartRuntimeOptions } from './boot/types.js'
export { startRuntime } from './boot.js'
export { type DelegationResult, DelegationResultsLoop } from './delegation-results-loop.js'
export type { RuntimeHeartbeatHandle } from './runtime-heartbeat-handle.js'
export { type RuntimeSettings, readRuntimeSettings } from './runtime-settings.js'
export {
  buildSnapshot,
  PreStopSnapshot,
  type Snapshot,
  snapshotSessionId,
} from './snapshot/pre-stop-snapshot.js'
export { deepScrub, isSandboxContent, scrubContent } from './snapshot/scrub-secrets.js'
export { briefTask, TaskActivity, WedgeState } from './task-activity.js'
