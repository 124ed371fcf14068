import type { Adapter, AdapterConfig } from '@molecule/adapter-core'
import { createPlatformTools, type ToolContext } from '@molecule/tools'
import { bindTools } from '../bind-tools.js'
import { platformMemory } from '../memory-handle.js'
import { runtimeHeartbeatHandle } from '../runtime-heartbeat-handle.js'
import { type LoadedSkill, loadSkills } from '../skills.js'
import { assembleSystemPrompt } from '../system-prompt.js'
import type { ResolvedSettings } from './resolve-settings.js'
import type { WorkspaceState } from './workspace-state.js'

/**
 * What the adapter receives in `setup` and `createExecutor`: config.yaml's model and runtime settings, the platform
 * tools bound to this workspace, the skills and the assembled system prompt, the memory handle and the heartbeat
 * handle (with the wedge switch).
 */
export async function adapterConfigFor(
  resolved: ResolvedSettings,
  state: WorkspaceState,
  adapter: Adapter,
): Promise<{ adapterConfig: AdapterConfig; skills: LoadedSkill[] }> {
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
  }
  const tools = bindTools(createPlatformTools({ env }), toolContext)
  const skills = await loadSkills(configDir, config.skills, adapter.name, log)
  const systemPrompt = await assembleSystemPrompt({
    configDir,
    promptFiles: config.prompt_files,
    skills,
    platform,
    ...(runtimeEnv.parentId ? { parentId: runtimeEnv.parentId } : {}),
    log,
  })
  const adapterConfig: AdapterConfig = {
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
    setup: { systemPrompt, loadedSkills: skills, tools, isCoordinator: false, children: [] },
  }
  return { adapterConfig, skills }
}
