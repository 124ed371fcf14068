import { join } from 'node:path'
import type { AgentTool, SkillSummary } from '@molecule/adapter-core'
import type { WorkspaceConfig } from '@molecule/config'
import type { Logger } from '@molecule/core'
import {
  ACTIVATE_SKILL_TOOL,
  type AuditSink,
  describeProblem,
  type LoadedSkill,
  type PluginSkillDir,
  SkillLibrary,
  skillCatalog,
  skillToolset,
} from '@molecule/skills'

export interface WorkspaceSkillsOptions {
  configDir: string
  config: Pick<WorkspaceConfig, 'skills' | 'security_scan' | 'prompt'>
  /** The adapter's name: skills for other runtimes are skipped. */
  runtime: string
  /** The runtime's environment: script tools get an allow-listed copy without secrets. */
  env: Readonly<Record<string, string | undefined>>
  pluginSkillDirs?: readonly PluginSkillDir[]
  log: Logger
  onAudit?: AuditSink
}

/** What the adapter's `SetupResult` and the system prompt take from the skills. */
export interface SkillSetupParts {
  /** The skills section's entries (the catalog, or every body in `prompt.skills: full`). */
  summaries: SkillSummary[]
  /** The line under the skills heading that points the agent at `activate_skill` (catalog mode). */
  note: string | undefined
  /** The skills' tools, `activate_skill` first in catalog mode. */
  tools: AgentTool[]
}

const CATALOG_NOTE =
  `Each skill below is listed by name and purpose only. When a task matches one, call \`${ACTIVATE_SKILL_TOOL}\` ` +
  'with its id first: it returns the full instructions, the files the skill ships and the tools it brings.'

/** The workspace's skills as the runtime uses them: the library that keeps them loaded, and the parts it hands on. */
export class WorkspaceSkills {
  readonly library: SkillLibrary
  /** The folders whose sub-folders are skills: `<configs>/skills` and each plugin's `skills/` (what to watch). */
  readonly roots: readonly string[]
  readonly #config: WorkspaceSkillsOptions['config']
  readonly #log: Logger

  private constructor(library: SkillLibrary, options: WorkspaceSkillsOptions) {
    this.library = library
    this.roots = [join(options.configDir, 'skills'), ...(options.pluginSkillDirs ?? []).map((p) => p.dir)]
    this.#config = options.config
    this.#log = options.log
  }

  /** Loads the skills of config.yaml `skills` (and of plugins); problems are logged, never thrown. */
  static async open(options: WorkspaceSkillsOptions): Promise<WorkspaceSkills> {
    const { config } = options
    const library = await SkillLibrary.open({
      configDir: options.configDir,
      names: config.skills,
      ...(options.pluginSkillDirs ? { pluginSkillDirs: options.pluginSkillDirs } : {}),
      runtime: options.runtime,
      env: options.env,
      securityScan: {
        mode: config.security_scan.mode,
        failOpenIfNoScanner: config.security_scan.fail_open_if_no_scanner,
        env: options.env,
      },
      logger: options.log.child({ component: 'skills' }),
      ...(options.onAudit ? { onAudit: options.onAudit } : {}),
    })
    return new WorkspaceSkills(library, options)
  }

  /** The skills being served (every one is on the agent cards). */
  get loaded(): LoadedSkill[] {
    return this.library.skills
  }

  /** The prompt's skills section and the tools, for the skills loaded now; `reserved` are the built-in tools' names. */
  setupParts(reserved: readonly string[]): SkillSetupParts {
    const mode = this.#config.prompt.skills
    const skills = this.loaded
    const catalog = skillCatalog(skills, { mode, maxChars: this.#config.prompt.skills_catalog_max_chars })
    if (catalog.shortened.length > 0) {
      this.#log.info(
        { skills: catalog.shortened },
        'skill descriptions shortened to fit prompt.skills_catalog_max_chars',
      )
    }
    if (catalog.dropped.length > 0) {
      this.#log.warn(
        { skills: catalog.dropped },
        `skills left out of the prompt: the catalog is over prompt.skills_catalog_max_chars (${this.#config.prompt.skills_catalog_max_chars})`,
      )
    }
    const toolset = skillToolset(skills, { mode, reserved })
    for (const problem of toolset.problems) this.#log.warn({ skill: problem.skill }, describeProblem(problem))
    return {
      summaries: catalog.entries,
      note: mode === 'catalog' && catalog.entries.length > 0 ? CATALOG_NOTE : undefined,
      tools: toolset.tools,
    }
  }
}
