import { readdir, stat } from 'node:fs/promises'
import { join, resolve } from 'node:path'

/** A plugin's `skills/` folder: every sub-folder in it is a skill. */
export interface PluginSkillDir {
  /** The plugin's name, for logs and the skill's origin. */
  plugin: string
  /** `<plugin>/skills` itself (not the plugin root, not one level deeper). */
  dir: string
}

/** Where a skill id is loaded from. */
export interface SkillSource {
  id: string
  dir: string
  /** `workspace`, or `plugin:<name>`. */
  origin: string
}

/** A skill id found twice: the one kept and the one it hides. */
export interface ShadowedSkill {
  id: string
  kept: SkillSource
  hidden: SkillSource
}

export interface SkillSourcesOptions {
  /** Directory of config.yaml: the workspace's skills are `<configDir>/skills/<name>/`. */
  configDir: string
  /** config.yaml `skills`: the workspace skills to load, in order. */
  names: readonly string[]
  pluginSkillDirs?: readonly PluginSkillDir[]
}

/** A config.yaml `skills` entry names one folder: no separators, not `.` or `..`, not blank. */
const FOLDER_NAME = /^(?!\.{1,2}$)[^/\\\0]+$/

async function subfolders(dir: string): Promise<string[]> {
  let names: string[]
  try {
    names = await readdir(dir)
  } catch {
    return []
  }
  const out: string[] = []
  for (const name of names.sort()) {
    if (name.startsWith('.') || name.startsWith('_')) continue
    const isDir = await stat(join(dir, name)).then(
      (s) => s.isDirectory(),
      () => false,
    )
    if (isDir) out.push(name)
  }
  return out
}

/**
 * The skills to load, in order: the workspace's (the names of config.yaml under `<configDir>/skills/`), then every
 * sub-folder of each plugin's `skills/` folder. An id found twice is loaded from its first source — the workspace's
 * own before any plugin's, an earlier plugin before a later one — and the hidden one is reported. A name that is
 * not a folder name (`../x`, `a/b`) is reported in `invalidNames` and not loaded.
 */
export async function skillSources(
  options: SkillSourcesOptions,
): Promise<{ sources: SkillSource[]; shadowed: ShadowedSkill[]; invalidNames: string[] }> {
  const sources: SkillSource[] = []
  const invalidNames: string[] = []
  const shadowed: ShadowedSkill[] = []
  const byId = new Map<string, SkillSource>()
  const add = (source: SkillSource) => {
    const kept = byId.get(source.id)
    if (kept) {
      if (kept.dir !== source.dir) shadowed.push({ id: source.id, kept, hidden: source })
      return
    }
    byId.set(source.id, source)
    sources.push(source)
  }
  const skillsDir = resolve(options.configDir, 'skills')
  for (const name of options.names) {
    if (FOLDER_NAME.test(name)) add({ id: name, dir: join(skillsDir, name), origin: 'workspace' })
    else invalidNames.push(name)
  }
  for (const { plugin, dir } of options.pluginSkillDirs ?? []) {
    for (const id of await subfolders(dir))
      add({ id, dir: join(resolve(dir), id), origin: `plugin:${plugin}` })
  }
  return { sources, shadowed, invalidNames }
}
