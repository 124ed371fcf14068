import type { Adapter, AdapterConfig, AgentTool, SetupResult } from '@molecule/adapter-core'
import { createPlatformTools, type ToolContext } from '@molecule/tools'
import { bindTools } from '../bind-tools.js'
import type { Governance } from '../governance/governance.js'
import { platformMemory } from '../memory-handle.js'
import { WorkspacePlugins } from '../plugins/workspace-plugins.js'
import { runtimeHeartbeatHandle } from '../runtime-heartbeat-handle.js'
import { type SkillSetupParts, WorkspaceSkills } from '../skills/workspace-skills.js'
import { assembleSystemPrompt } from '../system-prompt.js'
import type { ResolvedSettings } from './resolve-settings.js'
import { sandboxTool } from './sandbox-tool.js'
import type { WorkspaceState } from './workspace-state.js'

/** The runtime always runs the shared setup pipeline, so its adapters' config always carries `setup`. */
export type AdapterConfigWithSetup = AdapterConfig & { setup: SetupResult }

/** What `adapterConfigFor` hands back: the config, the skills it loaded, and whether the prompt is complete. */
export interface PreparedAdapterConfig {
  adapterConfig: AdapterConfigWithSetup
  skills: WorkspaceSkills
  /** The workspace's plugins: their rules and guidelines are in the prompt, their skills among `skills`. */
  plugins: WorkspacePlugins
  /** The platform tools bound to this workspace: `setup.tools` is these, then the skills' tools. */
  builtinTools: AgentTool[]
  /**
   * False when there was no token yet, so the platform parts (instructions, peers, the parent's context) were left
   * out of `setup.systemPrompt`: they are added once the first register mints the token (see complete-prompt.ts).
   */
  promptHasPlatformParts: boolean
}

/**
 * The system prompt of this workspace (see `assembleSystemPrompt`). With `withPlatform` false the platform is not
 * asked: before the first register its answer could only be 401 (no token) or 404 (unknown workspace).
 */
export function workspacePrompt(
  resolved: ResolvedSettings,
  state: WorkspaceState,
  skills: Pick<SkillSetupParts, 'summaries' | 'note'>,
  withPlatform: boolean,
  plugins: WorkspacePlugins,
): Promise<string> {
  const { config, configDir, runtimeEnv, log } = resolved
  return assembleSystemPrompt({
    configDir,
    promptFiles: config.prompt_files,
    ...plugins.promptParts(),
    skills: skills.summaries,
    ...(skills.note ? { skillsNote: skills.note } : {}),
    platform: withPlatform ? state.platform : undefined,
    ...(runtimeEnv.parentId ? { parentId: runtimeEnv.parentId } : {}),
    signal: state.abort.signal,
    log,
  })
}

/**
 * What the adapter receives in `setup` and `createExecutor`: config.yaml's model and runtime settings, the platform
 * tools bound to this workspace, the skills and the assembled system prompt, the memory handle and the heartbeat
 * handle (with the wedge switch).
 */
export async function adapterConfigFor(
  resolved: ResolvedSettings,
  state: WorkspaceState,
  adapter: Adapter,
  governance: Governance,
): Promise<PreparedAdapterConfig> {
  const { env, config, configDir, runtimeEnv, settings, workspaceId, log } = resolved
  const { platform } = state
  const toolContext: ToolContext = {
    workspaceId,
    platform,
    logger: log.child({ component: 'tools' }),
    signal: state.abort.signal,
    tier: config.tier,
    roles: [...config.rbac.roles],
    customRoles: Object.fromEntries(
      Object.entries(config.rbac.allowed_actions as Record<string, readonly string[]>).map(
        ([role, actions]) => [role, [...actions]],
      ),
    ),
    identity: { model: config.model, runtime: adapter.name },
    audit: governance.audit,
  }
  const sandboxLog = log.child({ component: 'sandbox' })
  const bound = bindTools(
    [
      ...createPlatformTools({ env, approvals: governance.approvals }),
      ...governance.hitlTools,
      sandboxTool(config.sandbox, sandboxLog),
    ],
    toolContext,
    governance.ledger,
  )
  const tools = state.telemetry ? state.telemetry.traceTools(bound) : bound
  const plugins = await WorkspacePlugins.load({
    configDir,
    sharedDir: runtimeEnv.pluginsDir,
    enabled: config.plugins,
    workspaceId,
    log,
  })
  const skills = await WorkspaceSkills.open({
    configDir,
    config,
    runtime: adapter.name,
    env,
    pluginSkillDirs: plugins.loaded.pluginSkillDirs(),
    log,
    // Reloads and dependency scans go to the workspace's audit log beside every other governance decision.
    onAudit: ({ event_type, action, resource, outcome, ...details }) =>
      governance.audit.log(event_type, action, resource, outcome, details),
  })
  // A token on disk (a provisioned workspace, or a restart): the platform answers now. Else it waits for the register.
  const promptHasPlatformParts = state.tokens.read() !== undefined
  const setup = await workspaceSetup(
    resolved,
    state,
    { skills, plugins, builtinTools: tools, governance },
    promptHasPlatformParts,
  )
  const adapterConfig: AdapterConfigWithSetup = {
    model: config.model,
    systemPrompt: undefined,
    tools: [...config.skills],
    runtimeConfig: { ...config.runtime_config },
    configPath: configDir,
    workspaceDir: settings.workspaceDir,
    delegationResultsFile: runtimeEnv.delegationResultsFile,
    workspaceId,
    promptFiles: [...config.prompt_files],
    a2aPort: config.a2a.port,
    heartbeat: runtimeHeartbeatHandle(state.activity, state.wedge, log, state.pulse.fire),
    memory: platformMemory(platform, log.child({ component: 'memory' })),
    setup,
    env,
  }
  return { adapterConfig, skills, plugins, builtinTools: tools, promptHasPlatformParts }
}

/**
 * The `SetupResult` for the skills loaded now: the assembled prompt (with the platform parts when `withPlatform`),
 * the skills, and the tools (built-in first, then the skills'; the governance's tool uptake notes when the adapter
 * reads them). Built at boot, and again on every skills reload.
 */
export async function workspaceSetup(
  resolved: ResolvedSettings,
  state: WorkspaceState,
  {
    skills,
    plugins,
    builtinTools,
    governance,
  }: Pick<PreparedAdapterConfig, 'skills' | 'plugins' | 'builtinTools'> & { governance: Governance },
  withPlatform: boolean,
): Promise<SetupResult> {
  const parts = skills.setupParts(builtinTools.map((t) => t.name))
  // The built-in tools were traced once at boot; the skills' tools are new on every reload.
  const skillTools = state.telemetry ? state.telemetry.traceTools(parts.tools) : parts.tools
  const systemPrompt = await workspacePrompt(resolved, state, parts, withPlatform, plugins)
  return governance.toolUptake.watch({
    systemPrompt,
    loadedSkills: skills.loaded,
    tools: [...builtinTools, ...skillTools],
    isCoordinator: false,
    children: [],
  })
}
