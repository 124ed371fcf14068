import { loadConfig, loadEnv } from '@molecule/config'
import { silentLogger } from '@molecule/core'
import { createPlatformTools } from '@molecule/tools'
import { WorkspacePlugins } from '../plugins/workspace-plugins.js'
import { RuntimeError } from '../runtime-error.js'
import { assembleSystemPrompt } from '../system-prompt.js'
import { WorkspaceSkills } from './workspace-skills.js'

/**
 * `molecule-runtime prompt [--configs DIR]`: the system prompt assembled from the config folder as the adapter
 * receives it at boot before the platform is reached: prompt files, memory files, the enabled plugins' rules and
 * guidelines, and the skills section (catalog or full, per config.yaml `prompt.skills`; plugin skills included). The platform's parts (instructions, peers, the parent's context) need the
 * workspace's token and are added by a running workspace only.
 */
export async function printPrompt(args: readonly string[], env: NodeJS.ProcessEnv): Promise<string> {
  const at = args.indexOf('--configs')
  const runtimeEnv = loadEnv(env)
  const configDir = at >= 0 ? args[at + 1] : runtimeEnv.configPath
  if (!configDir) {
    throw new RuntimeError(
      'CLI_USAGE',
      '--configs needs a folder: molecule-runtime prompt --configs ./configs.',
    )
  }
  const { config } = await loadConfig(configDir, { env: runtimeEnv })
  const plugins = await WorkspacePlugins.load({
    configDir,
    sharedDir: runtimeEnv.pluginsDir,
    enabled: config.plugins,
    workspaceId: '',
    log: silentLogger,
  })
  const skills = await WorkspaceSkills.open({
    configDir,
    config,
    runtime: config.runtime,
    env,
    pluginSkillDirs: plugins.loaded.pluginSkillDirs(),
    log: silentLogger,
  })
  const reserved = createPlatformTools({ env }).map((t) => t.name)
  const parts = skills.setupParts(reserved)
  return assembleSystemPrompt({
    configDir,
    promptFiles: config.prompt_files,
    ...plugins.promptParts(),
    skills: parts.summaries,
    ...(parts.note ? { skillsNote: parts.note } : {}),
    platform: undefined,
    log: silentLogger,
  })
}
