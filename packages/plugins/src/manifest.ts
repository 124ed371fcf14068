import { join } from 'node:path'
import { parse } from 'yaml'
import { readText } from './files.js'

/** `molecule`: a `plugin.yaml` plugin (or a bare folder); `claude-code`: a `.claude-plugin/plugin.json` plugin. */
export type PluginFormat = 'molecule' | 'claude-code'

/** A plugin's manifest with every field defaulted. The lists are informational: discovery reads the folders. */
export interface PluginManifest {
  name: string
  version: string
  description: string
  author: string
  tags: string[]
  /** Runtimes the plugin says it supports (`claude_code`, `deepagents` …); empty = not stated. */
  runtimes: string[]
  rules: string[]
  promptFragments: string[]
  skills: string[]
  hooks: string[]
  /** `adapters:` of plugin.yaml: runtime → adaptor file or built-in name. */
  adapters: Record<string, string>
  format: PluginFormat
}

export const MOLECULE_MANIFEST = 'plugin.yaml'
export const CLAUDE_MANIFEST = '.claude-plugin/plugin.json'

function text(value: unknown, fallback: string): string {
  if (typeof value === 'string' && value.trim()) return value.trim()
  if (typeof value === 'number') return String(value)
  return fallback
}

function list(value: unknown): string[] {
  if (typeof value === 'string' && value.trim()) return [value.trim()]
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : []
}

function authorOf(value: unknown): string {
  if (value && typeof value === 'object' && !Array.isArray(value))
    return text((value as { name?: unknown }).name, '')
  return text(value, '')
}

function stringMap(value: unknown): Record<string, string> {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return {}
  return Object.fromEntries(
    Object.entries(value).filter((entry): entry is [string, string] => typeof entry[1] === 'string'),
  )
}

function fromFields(fields: Record<string, unknown>, dirName: string, format: PluginFormat): PluginManifest {
  return {
    name: text(fields.name, dirName),
    version: text(fields.version, '0.0.0'),
    description: text(fields.description, ''),
    author: authorOf(fields.author),
    tags: list(fields.tags ?? fields.keywords),
    runtimes: list(fields.runtimes),
    rules: list(fields.rules),
    promptFragments: list(fields.prompt_fragments),
    skills: list(fields.skills),
    hooks: list(fields.hooks),
    adapters: stringMap(fields.adapters),
    format,
  }
}

/**
 * Reads a plugin folder's manifest: `.claude-plugin/plugin.json` makes it a Claude Code plugin, else `plugin.yaml`
 * (optional). A manifest that does not parse is a warning and the defaults (name = folder name, version 0.0.0).
 */
export async function readManifest(
  root: string,
  dirName: string,
): Promise<{ manifest: PluginManifest; warnings: string[] }> {
  const claude = await readText(join(root, CLAUDE_MANIFEST))
  const format: PluginFormat = claude === undefined ? 'molecule' : 'claude-code'
  const file = claude === undefined ? MOLECULE_MANIFEST : CLAUDE_MANIFEST
  const source = claude ?? (await readText(join(root, MOLECULE_MANIFEST)))
  if (source === undefined) return { manifest: fromFields({}, dirName, format), warnings: [] }
  try {
    const parsed: unknown = claude === undefined ? parse(source) : JSON.parse(source)
    if (parsed === null || parsed === undefined)
      return { manifest: fromFields({}, dirName, format), warnings: [] }
    if (typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('it is not a mapping')
    return { manifest: fromFields(parsed as Record<string, unknown>, dirName, format), warnings: [] }
  } catch (err) {
    return {
      manifest: fromFields({}, dirName, format),
      warnings: [`${join(root, file)} ignored (${(err as Error).message.split('\n')[0]}); defaults used`],
    }
  }
}
