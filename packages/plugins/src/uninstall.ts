import { rm, rmdir } from 'node:fs/promises'
import { unmergeSettings } from './claude-settings.js'
import { fileHash } from './files.js'
import { type InstallRecord, listRecords, readRecord, removeRecord } from './install-record.js'
import { claimsOf } from './install-tracker.js'
import { removeMemoryChunks } from './memory-file.js'
import { PluginError } from './plugin-error.js'

export interface UninstallResult {
  pluginName: string
  /** Configs-relative paths of the files removed. */
  filesRemoved: string[]
  warnings: string[]
}

/**
 * Undoes what a record lists, leaving what was the user's before, what another installed plugin still claims, and
 * what was changed since the install (a warning names it). Used by uninstall and by a reinstall that no longer
 * writes something its previous install did.
 */
export async function undoClaims(
  configsDir: string,
  record: InstallRecord,
  otherRecords: readonly InstallRecord[],
): Promise<UninstallResult> {
  const others = claimsOf(otherRecords)
  const mine = new Map(record.claims.map((c) => [c.key, c]))
  const removable = (key: string): boolean => {
    const claim = mine.get(key)
    return claim !== undefined && !claim.preexisting && !others.has(key)
  }
  const warnings: string[] = []
  const filesRemoved: string[] = []
  await unmergeSettings(configsDir, record, removable, warnings)
  await removeMemoryChunks(configsDir, record, removable, warnings)
  for (const claim of record.claims) {
    if (!claim.key.startsWith('file:') || !removable(claim.key)) continue
    const path = claim.key.slice('file:'.length)
    const current = await fileHash(`${configsDir}/${path}`)
    if (current === undefined) continue
    if (current !== claim.sha256) {
      warnings.push(`kept ${path}: it changed after plugin "${record.plugin}" installed it`)
      continue
    }
    await rm(`${configsDir}/${path}`, { force: true })
    filesRemoved.push(path)
  }
  const dirs = record.claims
    .filter((c) => c.key.startsWith('dir:') && removable(c.key))
    .map((c) => c.key.slice('dir:'.length))
    .sort((a, b) => b.split('/').length - a.split('/').length)
  // A folder that still holds something (the user's file, a kept file) stays.
  for (const dir of dirs) await rmdir(`${configsDir}/${dir}`).catch(() => undefined)
  return { pluginName: record.plugin, filesRemoved, warnings }
}

/** Removes an installed plugin exactly (see `undoClaims`) and then its install record. */
export async function uninstallPlugin(configsDir: string, name: string): Promise<UninstallResult> {
  const record = await readRecord(configsDir, name)
  if (!record)
    throw new PluginError('PLUGIN_NOT_INSTALLED', `Plugin "${name}" is not installed in ${configsDir}.`, {
      path: name,
      fix: 'Run `molecule-runtime plugins list` to see the installed plugins.',
    })
  const others = (await listRecords(configsDir)).filter((r) => r.plugin !== name)
  const result = await undoClaims(configsDir, record, others)
  await removeRecord(configsDir, name)
  return result
}
