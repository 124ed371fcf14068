import { stat } from 'node:fs/promises'
import { type Logger, silentLogger } from '@molecule/core'
import type { AuditSink, SkillAuditEvent } from './audit.js'
import { DependencyScanner, type DependencyScanSettings } from './dependency-scan.js'
import { type PluginSkillDir, type ShadowedSkill, type SkillSource, skillSources } from './discovery.js'
import { type LoadedSkill, loadSkill } from './load-skill.js'
import { describeProblem, type SkillProblem, skillProblem } from './problems.js'
import type { ScriptToolDefaults } from './script-tools.js'

export interface SkillLibraryOptions {
  /** Directory of config.yaml: the workspace's skills are `<configDir>/skills/<name>/`. */
  configDir: string
  /** config.yaml `skills`. */
  names: readonly string[]
  /** Skill folders handed in by plugins (each plugin's `skills/` folder). */
  pluginSkillDirs?: readonly PluginSkillDir[]
  /** The adapter's name: a skill whose `runtime` names neither it nor `*` is skipped. Undefined: no filter. */
  runtime?: string
  /** What script tools' environment is built from; default `process.env`. */
  env?: Readonly<Record<string, string | undefined>>
  scriptDefaults?: Partial<ScriptToolDefaults>
  /** config.yaml `security_scan`; default off. */
  securityScan?: DependencyScanSettings
  logger?: Logger
  /** Receives one audit event per reloaded skill and per dependency scan. */
  onAudit?: AuditSink
}

/** What one reload did. `failed` skills keep their last good version. */
export interface ReloadOutcome {
  added: string[]
  updated: string[]
  removed: string[]
  failed: Array<{ id: string; problems: SkillProblem[] }>
  /** True when the set of skills being served changed (something to hand on). */
  changed: boolean
}

/**
 * The skills of a workspace, kept loaded: the initial load, then reloads of single skills. A skill that loaded once
 * keeps serving until a reload produces a version without errors (or the skill's folder is gone): a broken edit
 * never takes a working skill away.
 */
export class SkillLibrary {
  readonly #options: SkillLibraryOptions
  readonly #log: Logger
  readonly #scanner: DependencyScanner | undefined
  #names: readonly string[]
  #pluginSkillDirs: readonly PluginSkillDir[]
  #sources: SkillSource[] = []
  #shadowed: ShadowedSkill[] = []
  readonly #loaded = new Map<string, LoadedSkill>()
  #problems: SkillProblem[] = []

  private constructor(options: SkillLibraryOptions) {
    this.#options = options
    this.#names = [...options.names]
    this.#pluginSkillDirs = [...(options.pluginSkillDirs ?? [])]
    this.#log = options.logger ?? silentLogger
    const scan = options.securityScan
    this.#scanner =
      scan && scan.mode !== 'off' ? new DependencyScanner(scan, (event) => this.#audit(event)) : undefined
  }

  /** Loads every skill; problems are logged (and kept in `problems`), never thrown. */
  static async open(options: SkillLibraryOptions): Promise<SkillLibrary> {
    const library = new SkillLibrary(options)
    await library.#discover()
    const problems: SkillProblem[] = []
    for (const source of library.#sources) {
      const { skill, problems: found } = await library.#load(source)
      problems.push(...found)
      if (skill) library.#loaded.set(source.id, skill)
    }
    library.#problems = problems
    for (const problem of problems) library.#logProblem(problem)
    return library
  }

  /** The skills being served, in discovery order. */
  get skills(): LoadedSkill[] {
    return this.#sources.map((s) => this.#loaded.get(s.id)).filter((s): s is LoadedSkill => s !== undefined)
  }

  /** The problems of the initial load. */
  get problems(): readonly SkillProblem[] {
    return this.#problems
  }

  get sources(): readonly SkillSource[] {
    return this.#sources
  }

  get names(): readonly string[] {
    return this.#names
  }

  /** The skill id a folder of `skillsRoot` stands for, when that id is loaded from there. */
  sourceOf(id: string): SkillSource | undefined {
    return this.#sources.find((s) => s.id === id)
  }

  /** config.yaml `skills` changed: skills no longer named are dropped, new ones loaded. */
  async setNames(names: readonly string[]): Promise<ReloadOutcome> {
    const before = new Set(this.#sources.map((s) => s.id))
    this.#names = [...names]
    await this.#discover()
    const after = new Set(this.#sources.map((s) => s.id))
    const touched = [...new Set([...before, ...after])].filter((id) => !(before.has(id) && after.has(id)))
    return this.reload(touched, ['config.yaml'])
  }

  /** The plugins' skill folders changed (a plugin added, removed or switched off): their skills are reloaded. */
  async setPluginSkillDirs(dirs: readonly PluginSkillDir[]): Promise<ReloadOutcome> {
    const fromPlugins = (sources: readonly SkillSource[]) =>
      sources.filter((s) => s.origin !== 'workspace').map((s) => s.id)
    const before = fromPlugins(this.#sources)
    this.#pluginSkillDirs = [...dirs]
    await this.#discover()
    return this.reload([...new Set([...before, ...fromPlugins(this.#sources)])], ['plugins'])
  }

  /** Reloads skills `ids` (after `changedFiles` changed); the others are not read. */
  async reload(ids: readonly string[], changedFiles: readonly string[] = []): Promise<ReloadOutcome> {
    const outcome: ReloadOutcome = { added: [], updated: [], removed: [], failed: [], changed: false }
    await this.#discover()
    for (const id of ids) {
      const previous = this.#loaded.get(id)
      const source = this.#sources.find((s) => s.id === id)
      const present = source
        ? await stat(source.dir).then(
            (s) => s.isDirectory(),
            () => false,
          )
        : false
      if (!source || !present) {
        if (previous) {
          this.#loaded.delete(id)
          outcome.removed.push(id)
          this.#auditReload(id, 'success', changedFiles, { removed: true, tool_count: 0 })
        }
        continue
      }
      const { skill, problems, skipped } = await this.#load(source)
      const errors = problems.filter((p) => p.level === 'error')
      if (skipped) {
        if (previous) {
          this.#loaded.delete(id)
          outcome.removed.push(id)
        }
        continue
      }
      if (!skill || (previous && errors.length > 0)) {
        const failed = errors.length > 0 ? errors : [skillProblem('error', id, '.', 'did not load.')]
        outcome.failed.push({ id, problems: failed })
        const keeps = previous ? 'the previous version keeps serving' : 'not loaded'
        this.#log.error(
          { skill: id, changed_files: changedFiles, problems: failed.map(describeProblem) },
          `skill reload failed (${keeps}): ${failed.map(describeProblem).join('; ')}`,
        )
        this.#auditReload(id, 'failure', changedFiles, { error: failed.map(describeProblem).join('; ') })
        continue
      }
      for (const problem of problems) this.#logProblem(problem)
      if (previous?.fingerprint === skill.fingerprint) continue
      this.#loaded.set(id, skill)
      ;(previous ? outcome.updated : outcome.added).push(id)
      this.#auditReload(id, 'success', changedFiles, { tool_count: skill.tools.length })
    }
    outcome.changed = outcome.added.length + outcome.updated.length + outcome.removed.length > 0
    return outcome
  }

  async #discover(): Promise<void> {
    const found = await skillSources({
      configDir: this.#options.configDir,
      names: this.#names,
      pluginSkillDirs: this.#pluginSkillDirs,
    })
    for (const name of found.invalidNames) {
      this.#log.warn({ skill: name }, `config.yaml skills: "${name}" is not a folder name; skipped`)
    }
    for (const s of found.shadowed) {
      if (this.#shadowed.some((o) => o.id === s.id && o.hidden.dir === s.hidden.dir)) continue
      this.#log.info(
        { skill: s.id, kept: s.kept.dir, hidden: s.hidden.dir },
        `skill "${s.id}" of ${s.hidden.origin} is shadowed by the ${s.kept.origin} skill of the same id`,
      )
    }
    this.#shadowed = found.shadowed
    this.#sources = found.sources
  }

  async #load(
    source: SkillSource,
  ): Promise<{ skill?: LoadedSkill; problems: SkillProblem[]; skipped?: boolean }> {
    const { skill, problems } = await loadSkill(source.dir, {
      id: source.id,
      ...(this.#options.env ? { env: this.#options.env } : {}),
      ...(this.#options.scriptDefaults ? { scriptDefaults: this.#options.scriptDefaults } : {}),
      ...(this.#scanner ? { scanner: this.#scanner } : {}),
    })
    const runtime = this.#options.runtime
    if (skill && runtime && !skill.runtime.includes('*') && !skill.runtime.includes(runtime)) {
      this.#log.info(
        { skill: source.id, runtime: skill.runtime, current: runtime },
        'skill is for another runtime; skipped',
      )
      return { problems: [], skipped: true }
    }
    return { ...(skill ? { skill: { ...skill, origin: source.origin } } : {}), problems }
  }

  #logProblem(problem: SkillProblem): void {
    const fields = { skill: problem.skill, file: problem.file }
    if (problem.level === 'error') this.#log.error(fields, describeProblem(problem))
    else this.#log.warn(fields, describeProblem(problem))
  }

  #auditReload(id: string, outcome: 'success' | 'failure', files: readonly string[], details: object): void {
    this.#audit({
      event_type: 'skill_reload',
      action: 'reload',
      resource: id,
      outcome,
      changed_files: [...files],
      ...details,
    })
  }

  #audit(event: SkillAuditEvent): void {
    this.#log.info({ audit: event }, `audit ${event.event_type} ${event.resource}: ${event.outcome}`)
    try {
      this.#options.onAudit?.(event)
    } catch (err) {
      this.#log.warn({ err: (err as Error).message }, 'skills audit sink failed')
    }
  }
}
