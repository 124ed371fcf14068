import { join, resolve } from 'node:path'
import { type Logger, silentLogger } from '@molecule/core'
import { copyTree } from './adaptors/copy-files.js'
import { mergeSettings } from './claude-settings.js'
import { type Plugin, readPlugin } from './discovery.js'
import { isDirectory } from './files.js'
import { type InstallRecord, listRecords, writeRecord } from './install-record.js'
import { claimsOf, InstallTracker } from './install-tracker.js'
import { appendToMemory } from './memory-file.js'
import { PluginError } from './plugin-error.js'
import { type InstallContext, type InstallResult, runtimeKey } from './protocol.js'
import { type AdaptorRegistry, resolveAdaptor } from './resolve-adaptor.js'
import { DEFAULT_SETUP_TIMEOUT_MS } from './setup-script.js'
import { undoClaims } from './uninstall.js'

export interface InstallOptions {
  /** The workspace's configs dir (`WORKSPACE_CONFIG_PATH`, `/configs` in containers). */
  configsDir: string
  /** The adapter's name (`claude-code`); adaptor files use its snake_case key. */
  runtime: string
  workspaceId?: string
  /** The adapter's memory file; default `CLAUDE.md`. */
  memoryFilename?: string
  /** The runtime's own adaptors, tried before the plugin's. */
  registry?: AdaptorRegistry
  setupTimeoutMs?: number
  registerTool?: (name: string, tool: unknown) => void
  registerSubagent?: (name: string, spec: unknown) => void
  logger?: Logger
}

/** An install's outcome: the protocol's result plus what `plugins list` shows. */
export interface PluginInstallOutcome extends InstallResult {
  version: string
  adaptor: string
}

function contextFor(
  plugin: Plugin,
  tracker: InstallTracker,
  previous: InstallRecord | undefined,
  options: InstallOptions,
  registered: { tools: string[]; subagents: string[] },
): InstallContext {
  const owned = (rel: string) =>
    [`dir:${rel}`, `file:${rel}`].some((key) => tracker.previousClaim(key)?.preexisting === false)
  return {
    configsDir: tracker.configsDir,
    workspaceId: options.workspaceId ?? '',
    runtime: runtimeKey(options.runtime),
    pluginName: plugin.name,
    pluginRoot: plugin.path,
    memoryFilename: options.memoryFilename ?? 'CLAUDE.md',
    setupTimeoutMs: options.setupTimeoutMs ?? DEFAULT_SETUP_TIMEOUT_MS,
    registerTool: (name, tool) => {
      registered.tools.push(name)
      options.registerTool?.(name, tool)
    },
    registerSubagent: (name, spec) => {
      registered.subagents.push(name)
      options.registerSubagent?.(name, spec)
    },
    appendToMemory: (filename, content) => appendToMemory(tracker, previous?.memory ?? [], filename, content),
    writeFile: (rel, data, mode) => tracker.writeFile(rel, data, mode),
    mergeSettings: (fragment, from) => mergeSettings(tracker, fragment, from),
    installedBefore: owned,
    warn: (message) => tracker.warn(message),
    logger: (options.logger ?? silentLogger).child({ plugin: plugin.name }),
  }
}

/**
 * Installs one plugin into the configs dir with the adaptor `resolveAdaptor` picks, and writes the install record.
 * Installing again changes nothing (each write is idempotent and the record comes out the same); what an earlier
 * install of this plugin wrote and this one no longer does is removed. A failing adaptor is a `PluginError` naming
 * the plugin; what it wrote before failing is still recorded, so uninstall can clean it up.
 */
export function installPlugin(plugin: Plugin, options: InstallOptions): Promise<PluginInstallOutcome> {
  return runInstall(plugin, undefined, options)
}

/**
 * Copies a plugin folder from elsewhere into `<configs>/plugins/<name>/` (recorded like any install write, so
 * uninstall removes it) and installs it from there, so the runtime finds it at its next boot. A folder already
 * there is installed in place.
 */
export async function installPluginFrom(
  source: string,
  options: InstallOptions,
): Promise<PluginInstallOutcome> {
  const from = resolve(source)
  if (!(await isDirectory(from)))
    throw new PluginError('PLUGIN_SOURCE_MISSING', `Plugin folder ${from} does not exist.`, {
      path: from,
      fix: 'Pass a plugin folder (with plugin.yaml or .claude-plugin/plugin.json) or local://<name>.',
    })
  const { plugin } = await readPlugin(from)
  const target = join(resolve(options.configsDir), 'plugins', plugin.name)
  if (from === target) return runInstall(plugin, undefined, options)
  const previous = (await listRecords(options.configsDir)).find((r) => r.plugin === plugin.name)
  if ((await isDirectory(target)) && previous?.pluginRoot !== target)
    throw new PluginError('PLUGIN_EXISTS', `A plugin folder ${target} is already there.`, {
      path: target,
      fix: `Install it with local://${plugin.name}, or remove that folder first.`,
    })
  return runInstall(plugin, target, options)
}

async function runInstall(
  source: Plugin,
  stageAt: string | undefined,
  options: InstallOptions,
): Promise<PluginInstallOutcome> {
  const configsDir = resolve(options.configsDir)
  const runtime = runtimeKey(options.runtime)
  const records = await listRecords(configsDir)
  const previous = records.find((r) => r.plugin === source.name)
  const others = records.filter((r) => r.plugin !== source.name)
  const tracker = new InstallTracker(configsDir, source.name, previous, claimsOf(others))
  const registered = { tools: [] as string[], subagents: [] as string[] }
  // A plugin folder an install copied into `<configs>/plugins/` (the CLI, a raw drop) stays claimed by reinstalls.
  const folder = `plugins/${source.name}`
  let plugin = source
  if (stageAt || tracker.previousClaim(`dir:${folder}`)?.preexisting === false) {
    await copyTree(contextFor(source, tracker, previous, options, registered), source.path, folder, {
      exact: true,
    })
    plugin = (await readPlugin(join(configsDir, folder))).plugin
  }
  const resolved = await resolveAdaptor(plugin, runtime, options.registry)
  for (const warning of resolved.warnings) tracker.warn(warning)
  const ctx = contextFor(plugin, tracker, previous, options, registered)
  let failure: unknown
  // biome-ignore lint/suspicious/noConfusingVoidType: what `PluginAdaptor.install` may resolve to
  let returned: Partial<InstallResult> | undefined | void
  try {
    returned = await resolved.adaptor.install(ctx)
  } catch (err) {
    failure = err
  }
  for (const warning of returned?.warnings ?? []) tracker.warn(warning)
  const claims = [...tracker.claims.values()]
  const record: InstallRecord = {
    plugin: plugin.name,
    version: plugin.manifest.version,
    format: plugin.manifest.format,
    runtime,
    adaptor: resolved.kind,
    source: resolved.source,
    pluginRoot: plugin.path,
    files: claims.filter((c) => c.key.startsWith('file:') && !c.preexisting).map((c) => c.key.slice(5)),
    claims,
    memory: tracker.memory,
    toolsRegistered: [...new Set([...registered.tools, ...(returned?.toolsRegistered ?? [])])],
    subagentsRegistered: [...new Set([...registered.subagents, ...(returned?.subagentsRegistered ?? [])])],
    warnings: tracker.warnings,
  }
  if (previous && failure === undefined) await dropLeftovers(configsDir, previous, record, others, tracker)
  await writeRecord(configsDir, record)
  if (failure !== undefined)
    throw new PluginError(
      'PLUGIN_INSTALL_FAILED',
      `Plugin "${plugin.name}" (${plugin.path}) failed to install: ${failure instanceof Error ? failure.message : String(failure)}`,
      {
        path: plugin.path,
        cause: failure,
        fix: 'Fix the plugin or uninstall it; what it wrote so far is recorded.',
      },
    )
  return {
    pluginName: plugin.name,
    runtime,
    source: resolved.source,
    filesWritten: [...new Set([...tracker.filesWritten, ...(returned?.filesWritten ?? [])])],
    toolsRegistered: record.toolsRegistered,
    subagentsRegistered: record.subagentsRegistered,
    warnings: record.warnings,
    version: record.version,
    adaptor: record.adaptor,
  }
}

/** What the previous install claimed and this one did not: an updated plugin's dropped files and settings. */
async function dropLeftovers(
  configsDir: string,
  previous: InstallRecord,
  record: InstallRecord,
  others: readonly InstallRecord[],
  tracker: InstallTracker,
): Promise<void> {
  const kept = new Set(record.claims.map((c) => c.key))
  const stale: InstallRecord = {
    ...previous,
    claims: previous.claims.filter((c) => !kept.has(c.key)),
    memory: previous.memory.filter((m) => !record.memory.some((n) => n.file === m.file)),
  }
  if (stale.claims.length === 0 && stale.memory.length === 0) return
  const undone = await undoClaims(configsDir, stale, [...others, record])
  for (const warning of undone.warnings) tracker.warn(warning)
}
