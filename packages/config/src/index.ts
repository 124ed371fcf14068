export { type AgentsMdOptions, generateAgentsMd, renderAgentsMd } from './agentsMd.ts'
export type { ConfigProblem } from './configProblems.ts'
export { isMoleculeError, MoleculeError, type MoleculeErrorOptions } from './errors.ts'
export {
  type LoadConfigOptions,
  type LoadedConfig,
  loadConfig,
  type ParseConfigOptions,
  parseConfig,
} from './loadConfig.ts'
export {
  type EnvSource,
  type LoadEnvOptions,
  loadEnv,
  type RuntimeEnv,
  SANDBOX_BACKENDS,
  type SandboxBackend,
} from './loadEnv.ts'
export {
  type PreflightIssue,
  type PreflightIssueInput,
  type PreflightLevel,
  type PreflightOptions,
  type PreflightReport,
  renderPreflightReport,
  runPreflight,
} from './preflight.ts'
export {
  type A2AConfig,
  type ComplianceConfig,
  type DelegationConfig,
  type GovernanceConfig,
  type HITLChannel,
  type HITLConfig,
  type RBACConfig,
  type RuntimeConfig,
  type SandboxConfig,
  type SecurityScanConfig,
  type WorkspaceConfig,
  workspaceConfigSchema,
} from './schema.ts'
