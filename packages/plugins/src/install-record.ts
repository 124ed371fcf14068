import { mkdir, readdir, readFile, rename, rm, rmdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { PluginFormat } from './manifest.js'
import { PluginError } from './plugin-error.js'

/** Where install records live, relative to the configs dir. Removed again when the last record goes. */
export const RECORDS_DIR = '.molecule-plugins'

/** `registry`: the runtime's own adaptor; `plugin`: the plugin's (or its format's); `raw_drop`: none. */
export type AdaptorSource = 'registry' | 'plugin' | 'raw_drop'

/**
 * One thing an install put in place or relied on. `preexisting` things were there before any plugin (the user's):
 * uninstall never removes them. A thing another installed plugin also claims stays until its last claimant goes.
 */
export interface Claim {
  /** `file:<path>`, `dir:<path>`, `hook:<file>:<event>:<matcher>:<commands>`, `entry:<file>:<key>[:<name>]` … */
  key: string
  preexisting: boolean
  /** SHA-256 of what was written (a file's bytes, a settings value's JSON): a changed thing is left alone. */
  sha256?: string
}

/** A chunk appended to the memory file (`CLAUDE.md`): removed byte for byte on uninstall. */
export interface MemoryChunk {
  file: string
  text: string
}

/** What one install did, written to `<configs>/.molecule-plugins/<plugin>.json`; uninstall undoes exactly this. */
export interface InstallRecord {
  plugin: string
  version: string
  format: PluginFormat
  runtime: string
  /** The adaptor's kind (`agentskills`, `mcp-server`, `claude-code`, `raw-drop`, or a plugin's own). */
  adaptor: string
  source: AdaptorSource
  /** The plugin folder the install read. */
  pluginRoot: string
  /** The files this plugin put in the configs dir (relative paths), for `plugins list`. */
  files: string[]
  claims: Claim[]
  memory: MemoryChunk[]
  toolsRegistered: string[]
  subagentsRegistered: string[]
  warnings: string[]
}

const NAME = /^[A-Za-z0-9._-]+$/

function recordFile(configsDir: string, plugin: string): string {
  if (!NAME.test(plugin) || plugin === '.' || plugin === '..')
    throw new PluginError('PLUGIN_NAME_INVALID', `Plugin name "${plugin}" is not a folder name.`, {
      path: plugin,
      fix: 'Use letters, digits, dots, dashes and underscores only.',
    })
  return join(configsDir, RECORDS_DIR, `${plugin}.json`)
}

export async function readRecord(configsDir: string, plugin: string): Promise<InstallRecord | undefined> {
  const file = recordFile(configsDir, plugin)
  const text = await readFile(file, 'utf8').catch(() => undefined)
  if (text === undefined) return undefined
  try {
    return JSON.parse(text) as InstallRecord
  } catch (err) {
    throw new PluginError('PLUGIN_RECORD_INVALID', `Install record ${file} is not valid JSON.`, {
      path: file,
      fix: 'Restore the file from a backup, or delete it and remove the plugin’s files by hand.',
      cause: err,
    })
  }
}

/** Every install record in the configs dir, sorted by plugin name. */
export async function listRecords(configsDir: string): Promise<InstallRecord[]> {
  const names = await readdir(join(configsDir, RECORDS_DIR)).catch(() => [] as string[])
  const out: InstallRecord[] = []
  for (const name of names.sort()) {
    if (!name.endsWith('.json')) continue
    const record = await readRecord(configsDir, name.slice(0, -'.json'.length))
    if (record) out.push(record)
  }
  return out
}

/** Written atomically (temp file + rename), readable by the owner only: it names the plugin's settings. */
export async function writeRecord(configsDir: string, record: InstallRecord): Promise<void> {
  const file = recordFile(configsDir, record.plugin)
  await mkdir(join(configsDir, RECORDS_DIR), { recursive: true, mode: 0o700 })
  const temp = `${file}.${process.pid}.tmp`
  await writeFile(temp, `${JSON.stringify(record, null, 2)}\n`, { mode: 0o600 })
  await rename(temp, file)
}

export async function removeRecord(configsDir: string, plugin: string): Promise<void> {
  await rm(recordFile(configsDir, plugin), { force: true })
  await rmdir(join(configsDir, RECORDS_DIR)).catch(() => undefined)
}
