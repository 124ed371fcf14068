export { isMoleculeError, MoleculeError, type MoleculeErrorOptions } from '@molecule/core'
export { type AgentsMdOptions, generateAgentsMd, renderAgentsMd } from './agents-md.ts'
export { closestName, didYouMean } from './closest-name.ts'
export type { ConfigProblem } from './config-problems.ts'
export {
  type LoadConfigOptions,
  type LoadedConfig,
  loadConfig,
  type ParseConfigOptions,
  parseConfig,
} from './load-config.ts'
export {
  type EnvSource,
  type LoadEnvOptions,
  loadEnv,
  type RuntimeEnv,
  SANDBOX_BACKENDS,
  type SandboxBackend,
} from './load-env.ts'
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
