export {
  BRIDGE_HEARTBEAT_INTERVAL_MS,
  type BridgeConfig,
  BridgeConfigError,
  loadBridgeConfig,
  pollTimeoutSecs,
  readTokenFile,
  resolveConfigsDir,
  WORKSPACE_ID_PATTERN,
  type WorkspaceEntry,
} from './bridge-config.js'
export { type BridgeServerOptions, createBridgeServer, SERVER_NAME } from './bridge-server.js'
export { CHANNEL_METHOD, channelParams, pushEnabled } from './channel-push.js'
export { type DoctorRow, doctorFailed, formatDoctorTable, runDoctor } from './doctor.js'
export { HELP_TEXT } from './help-text.js'
export { presentMessage, sanitiseDisplay } from './inbox-message.js'
export { inboxTools } from './inbox-tools.js'
export { buildInstructions } from './instructions.js'
export { createBridgeLogger } from './logger.js'
export {
  PendingUploadResolver,
  type PendingUploadResolverOptions,
  rewritePendingUris,
  sanitizeUploadName,
} from './pending-uploads.js'
export { runCli } from './run-cli.js'
export { BRIDGE_VERSION } from './version.js'
export { WorkspacePool } from './workspace-pool.js'
export { WorkspaceSession } from './workspace-session.js'
