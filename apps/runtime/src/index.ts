export {
  builtinAdapters,
  cliRuntimeConfigSchema,
  createCliAdapter,
  echoAdapter,
  runCommand,
} from './adapters/index.js'
export type { CommandRunOptions, CommandRunResult } from './adapters/runCommand.js'
export { advertisedHost, advertisedUrl, platformAgentCard, servedAgentCard } from './agentCard.js'
export {
  BootFailure,
  bindTools,
  type RunningRuntime,
  type StartRuntimeOptions,
  startRuntime,
} from './boot.js'
export { type DelegationResult, DelegationResultsLoop } from './DelegationResultsLoop.js'
export { type RuntimeSettings, readRuntimeSettings } from './runtimeSettings.js'
export {
  buildSnapshot,
  PreStopSnapshot,
  type Snapshot,
  snapshotSessionId,
} from './snapshot/PreStopSnapshot.js'
export { deepScrub, isSandboxContent, scrubContent } from './snapshot/scrubSecrets.js'
export { briefTask, TaskActivity, WedgeState } from './TaskActivity.js'
