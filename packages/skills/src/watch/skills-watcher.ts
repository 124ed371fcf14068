import { existsSync } from 'node:fs'
import { dirname, relative, resolve, sep } from 'node:path'
import { type Logger, silentLogger } from '@molecule/core'
import { type FSWatcher, watch } from 'chokidar'
import type { LoadedSkill } from '../load-skill.js'
import { SkillError } from '../skill-error.js'
import { isIgnoredSegment } from '../skill-files.js'
import type { ReloadOutcome, SkillLibrary } from '../skill-library.js'

export const DEFAULT_RELOAD_DEBOUNCE_MS = 150

/** A reload that changed what is served: the skills now, what happened, the files that triggered it. */
export interface SkillsChange {
  skills: LoadedSkill[]
  outcome: ReloadOutcome
  changedFiles: string[]
}

export interface SkillsWatcherOptions {
  library: SkillLibrary
  /** Folders whose sub-folders are skills: `<configDir>/skills` and each plugin's `skills/`. */
  roots: readonly string[]
  /** config.yaml: when it changes, `readNames` is asked for the new `skills` list. */
  configFile?: string
  readNames?: () => Promise<readonly string[]>
  /** Quiet time per skill before it is reloaded; default 150 ms. */
  debounceMs?: number
  /** Called after every reload that changed the served skills; a throw or rejection is logged. */
  onChange: (change: SkillsChange) => void | Promise<void>
  logger?: Logger
}

const CONFIG_KEY = '\0config'

function nearestExisting(path: string): string {
  let at = path
  while (!existsSync(at) && dirname(at) !== at) at = dirname(at)
  return at
}

/**
 * Watches skill folders (chokidar) and reloads a skill once its files have been quiet for the debounce time; a
 * change of config.yaml reloads the `skills` list. Reloads run one at a time, in the order their quiet time ended.
 */
export class SkillsWatcher {
  readonly #options: SkillsWatcherOptions
  readonly #log: Logger
  readonly #roots: string[]
  readonly #pending = new Map<string, { timer: NodeJS.Timeout; files: Set<string> }>()
  #queue: Promise<void> = Promise.resolve()
  #watcher: FSWatcher | undefined
  #closed = false

  constructor(options: SkillsWatcherOptions) {
    if (options.configFile && !options.readNames) {
      throw new SkillError('SKILLS_WATCHER_OPTIONS', 'SkillsWatcher: configFile needs readNames.', {
        fix: 'Pass readNames (returns config.yaml skills) with configFile.',
      })
    }
    this.#options = options
    this.#log = options.logger ?? silentLogger
    this.#roots = options.roots.map((r) => resolve(r))
  }

  /** Starts watching; resolves once the watcher has read the folders (changes from then on are seen). */
  async start(): Promise<void> {
    // A folder that does not exist yet is watched through its nearest existing parent, so creating it is seen.
    const paths = [
      ...new Set([
        ...this.#roots.map(nearestExisting),
        ...(this.#options.configFile ? [resolve(this.#options.configFile)] : []),
      ]),
    ]
    const watcher = watch(paths, {
      ignoreInitial: true,
      ignored: (path: string) => !this.#relevant(path),
    })
    this.#watcher = watcher
    const onEvent = (path: string) => this.#changed(resolve(path))
    watcher.on('add', onEvent).on('change', onEvent).on('unlink', onEvent)
    watcher.on('addDir', onEvent).on('unlinkDir', onEvent)
    watcher.on('error', (err) => this.#log.warn({ err: (err as Error).message }, 'skills watcher error'))
    await new Promise<void>((done) => watcher.once('ready', () => done()))
  }

  /** Stops watching and drops pending reloads; waits for a reload in progress. */
  async close(): Promise<void> {
    this.#closed = true
    for (const { timer } of this.#pending.values()) clearTimeout(timer)
    this.#pending.clear()
    await this.#watcher?.close()
    await this.#queue
  }

  /** Resolves when every reload queued so far has finished. */
  settled(): Promise<void> {
    return this.#queue
  }

  /** Inside a root (and not a cache or dotfile), config.yaml, or a parent folder on the way to a root. */
  #relevant(path: string): boolean {
    const full = resolve(path)
    if (this.#options.configFile && full === resolve(this.#options.configFile)) return true
    for (const root of this.#roots) {
      if (full === root) return true
      if (full.startsWith(root + sep)) return !relative(root, full).split(sep).some(isIgnoredSegment)
      if (root.startsWith(full + sep)) return true
    }
    return false
  }

  #changed(path: string): void {
    if (this.#closed) return
    if (this.#options.configFile && path === resolve(this.#options.configFile)) {
      this.#schedule(CONFIG_KEY, 'config.yaml')
      return
    }
    for (const root of this.#roots) {
      const rel = relative(root, path)
      if (rel === '' || rel.startsWith('..')) continue
      const [id, ...rest] = rel.split(sep)
      if (id) this.#schedule(id, rest.length > 0 ? rest.join('/') : '.')
      return
    }
  }

  #schedule(key: string, file: string): void {
    const entry = this.#pending.get(key)
    const files = entry?.files ?? new Set<string>()
    files.add(file)
    if (entry) clearTimeout(entry.timer)
    const timer = setTimeout(() => {
      this.#pending.delete(key)
      this.#queue = this.#queue.then(() => this.#reload(key, [...files]))
    }, this.#options.debounceMs ?? DEFAULT_RELOAD_DEBOUNCE_MS)
    this.#pending.set(key, { timer, files })
  }

  async #reload(key: string, files: string[]): Promise<void> {
    if (this.#closed) return
    const { library } = this.#options
    let outcome: ReloadOutcome
    try {
      if (key === CONFIG_KEY) {
        const names = await this.#options.readNames?.()
        if (!names) return
        outcome = await library.setNames(names)
      } else {
        // A folder that is not (or no longer) a source is only interesting when it was loaded before.
        outcome = await library.reload([key], files)
      }
    } catch (err) {
      this.#log.error(
        { skill: key === CONFIG_KEY ? undefined : key, err: (err as Error).message },
        'skill reload failed',
      )
      return
    }
    if (!outcome.changed || this.#closed) return
    this.#log.info(
      { added: outcome.added, updated: outcome.updated, removed: outcome.removed, changed_files: files },
      'skills reloaded',
    )
    try {
      await this.#options.onChange({ skills: library.skills, outcome, changedFiles: files })
    } catch (err) {
      this.#log.error({ err: (err as Error).message }, 'applying reloaded skills failed')
    }
  }
}
