import { basename, extname, join, resolve } from 'node:path'
import { entries, isDirectory, readText } from './files.js'
import { type PluginManifest, readManifest } from './manifest.js'

/** Root markdown files that document the plugin rather than instruct the agent. */
const NOT_FRAGMENTS = new Set(['README', 'CHANGELOG', 'LICENSE', 'CONTRIBUTING'])

/** A text the plugin contributes to the prompt, with the file it came from (for memory-file markers). */
export interface PluginText {
  file: string
  content: string
}

/** One plugin folder as discovery found it. */
export interface Plugin {
  /** The folder name: the plugin's identity (de-duplication, install records, config.yaml `plugins:`). */
  name: string
  path: string
  /** `workspace` (`<configs>/plugins/`) or `shared` (`PLUGINS_DIR`). */
  scope: 'workspace' | 'shared'
  manifest: PluginManifest
  /** `rules/*.md`, sorted, trimmed, empty ones left out. */
  rules: PluginText[]
  /** Root `*.md` other than README, CHANGELOG, LICENSE and CONTRIBUTING. */
  promptFragments: PluginText[]
  /** `<plugin>/skills` when it exists: every sub-folder is a skill. */
  skillsDir: string | undefined
}

export interface LoadedPlugins {
  /** The enabled plugins, sorted by name. */
  plugins: Plugin[]
  /** Plugins found but switched off by config.yaml `plugins:`. */
  disabled: Plugin[]
  /** Every enabled plugin's rules, in plugin order: the prompt's `## Platform Rules`. */
  rules: string[]
  /** Every enabled plugin's fragments: the prompt's `## Platform Guidelines`. */
  promptFragments: string[]
  /** Manifest problems (the plugin still loads with defaults). */
  warnings: string[]
  /** The enabled plugins' `skills/` folders (each sub-folder is one skill). */
  skillDirectories(): string[]
  /** The same folders with their plugin's name, in the shape the skills package takes. */
  pluginSkillDirs(): { plugin: string; dir: string }[]
}

export interface LoadPluginsOptions {
  /** `<configs>/plugins`: this workspace's plugins; wins over a shared plugin of the same name. */
  workspaceDir: string
  /** `PLUGINS_DIR` (default `/plugins`): plugins shared by every workspace on the host. */
  sharedDir?: string | undefined
  /**
   * config.yaml `plugins:`. Empty: every plugin found is enabled. Otherwise only the plugins named here (by folder
   * name or manifest name); the others are found but disabled.
   */
  enabled?: readonly string[] | undefined
}

async function markdownTexts(dir: string, keep: (file: string) => boolean): Promise<PluginText[]> {
  const out: PluginText[] = []
  for (const file of await entries(dir)) {
    if (extname(file).toLowerCase() !== '.md' || !keep(file)) continue
    const content = (await readText(join(dir, file)))?.trim()
    if (content) out.push({ file, content })
  }
  return out
}

/** Reads one plugin folder (see `Plugin`); the manifest's warnings are returned beside it. */
export async function readPlugin(
  path: string,
  scope: Plugin['scope'] = 'workspace',
): Promise<{ plugin: Plugin; warnings: string[] }> {
  const root = resolve(path)
  const name = basename(root)
  const { manifest, warnings } = await readManifest(root, name)
  const rules = await markdownTexts(join(root, 'rules'), () => true)
  const promptFragments = await markdownTexts(
    root,
    (file) => !NOT_FRAGMENTS.has(basename(file, extname(file)).toUpperCase()),
  )
  const skillsDir = (await isDirectory(join(root, 'skills'))) ? join(root, 'skills') : undefined
  return { plugin: { name, path: root, scope, manifest, rules, promptFragments, skillsDir }, warnings }
}

async function pluginFolders(dir: string | undefined): Promise<string[]> {
  if (!dir) return []
  const out: string[] = []
  for (const name of await entries(dir))
    if (!name.startsWith('.') && (await isDirectory(join(dir, name)))) out.push(name)
  return out
}

/** True when config.yaml `plugins:` lets this plugin run. */
export function isEnabled(
  plugin: Pick<Plugin, 'name' | 'manifest'>,
  enabled: readonly string[] = [],
): boolean {
  return enabled.length === 0 || enabled.includes(plugin.name) || enabled.includes(plugin.manifest.name)
}

/**
 * Finds the plugins of a workspace: the sub-folders of `<configs>/plugins/`, then those of the shared `PLUGINS_DIR`
 * whose folder name is not taken already (the workspace's copy wins). Hidden folders, files and missing directories
 * are ignored. Never throws for a plugin's content: a bad manifest is a warning.
 */
export async function loadPlugins(options: LoadPluginsOptions): Promise<LoadedPlugins> {
  const found = new Map<string, Plugin>()
  const warnings: string[] = []
  const scopes: [string | undefined, Plugin['scope']][] = [
    [options.workspaceDir, 'workspace'],
    [options.sharedDir, 'shared'],
  ]
  for (const [dir, scope] of scopes) {
    for (const name of await pluginFolders(dir)) {
      if (found.has(name) || !dir) continue
      const read = await readPlugin(join(dir, name), scope)
      found.set(name, read.plugin)
      warnings.push(...read.warnings)
    }
  }
  const all = [...found.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
  const plugins = all.filter((p) => isEnabled(p, options.enabled))
  const withSkills = plugins.filter((p): p is Plugin & { skillsDir: string } => p.skillsDir !== undefined)
  return {
    plugins,
    disabled: all.filter((p) => !isEnabled(p, options.enabled)),
    rules: plugins.flatMap((p) => p.rules.map((r) => r.content)),
    promptFragments: plugins.flatMap((p) => p.promptFragments.map((f) => f.content)),
    warnings,
    skillDirectories: () => withSkills.map((p) => p.skillsDir),
    pluginSkillDirs: () => withSkills.map((p) => ({ plugin: p.name, dir: p.skillsDir })),
  }
}
