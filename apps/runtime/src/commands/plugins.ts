import { join, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { loadConfig, loadEnv } from '@molecule/config'
import { describeError } from '@molecule/core'
import {
  type InstallRecord,
  installPluginFrom,
  isEnabled,
  listRecords,
  loadPlugins,
  type PluginInstallOutcome,
  readPlugin,
  uninstallPlugin,
} from '@molecule/plugins'
import { RuntimeError } from '../runtime-error.js'

export const PLUGINS_HELP = `molecule-runtime plugins — install, remove and list a workspace's plugins

Usage:
  molecule-runtime plugins install <dir|local://name> [--configs DIR] [--runtime NAME]
  molecule-runtime plugins uninstall <name> [--configs DIR] [--runtime NAME]
  molecule-runtime plugins list [--configs DIR]

--configs defaults to WORKSPACE_CONFIG_PATH (/configs), --runtime to config.yaml's runtime. local://name is a
plugin folder already in <configs>/plugins/ or in PLUGINS_DIR (/plugins).`

interface Output {
  out(line: string): void
  err(line: string): void
}

const stdio: Output = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
}

interface Settings {
  configsDir: string
  pluginsDir: string
  runtime: string | undefined
  enabled: readonly string[]
  /** Why config.yaml could not be read, when it could not. */
  configProblem: unknown
}

function usage(message: string): never {
  throw new RuntimeError('PLUGINS_USAGE', `${message}\n\n${PLUGINS_HELP}`)
}

async function settingsFor(values: {
  configs?: string | undefined
  runtime?: string | undefined
}): Promise<Settings> {
  const env = loadEnv()
  const configsDir = resolve(values.configs ?? env.configPath)
  const base = {
    configsDir,
    pluginsDir: env.pluginsDir,
    runtime: values.runtime,
    enabled: [] as readonly string[],
  }
  try {
    const { config } = await loadConfig(configsDir, { env })
    return {
      ...base,
      runtime: values.runtime ?? config.runtime,
      enabled: config.plugins,
      configProblem: undefined,
    }
  } catch (err) {
    // Only install needs config.yaml (for the runtime), and --runtime stands in for it.
    return { ...base, configProblem: err }
  }
}

function needRuntime(settings: Settings): string {
  if (settings.runtime) return settings.runtime
  throw new RuntimeError(
    'PLUGINS_RUNTIME_UNKNOWN',
    `No runtime to install the plugin for: ${describeError(settings.configProblem)}`,
    {
      path: join(settings.configsDir, 'config.yaml'),
      fix: 'Pass --runtime NAME (the adapter name, e.g. claude-code), or point --configs at the workspace config.',
      cause: settings.configProblem,
    },
  )
}

/** `local://name`: a plugin folder already in the workspace's plugins dir, else in the shared PLUGINS_DIR. */
async function sourceFolder(source: string, settings: Settings): Promise<string> {
  if (!source.startsWith('local://')) return resolve(source)
  const name = source.slice('local://'.length)
  const candidates = [join(settings.configsDir, 'plugins', name), join(settings.pluginsDir, name)]
  const loaded = await loadPlugins({
    workspaceDir: join(settings.configsDir, 'plugins'),
    sharedDir: settings.pluginsDir,
  })
  const found = [...loaded.plugins, ...loaded.disabled].find((p) => p.name === name)
  if (!found)
    throw new RuntimeError('PLUGIN_NOT_FOUND', `Plugin "${name}" is not in ${candidates.join(' or ')}.`, {
      path: source,
      fix: 'Check the name with `molecule-runtime plugins list`, or pass the plugin folder instead.',
    })
  return found.path
}

function printInstall(io: Output, outcome: PluginInstallOutcome): void {
  io.out(
    `installed ${outcome.pluginName} ${outcome.version} (adaptor ${outcome.adaptor}, source ${outcome.source}, ` +
      `runtime ${outcome.runtime})`,
  )
  for (const file of outcome.filesWritten) io.out(`  wrote ${file}`)
  if (outcome.filesWritten.length === 0) io.out('  nothing new to write: already installed')
  for (const tool of outcome.toolsRegistered) io.out(`  tool ${tool}`)
  for (const agent of outcome.subagentsRegistered) io.out(`  sub-agent ${agent}`)
  for (const warning of outcome.warnings) io.err(`  warning: ${warning}`)
}

/** One line per kind of thing an install put in place, for `plugins list`. */
function installedSummary(record: InstallRecord): string[] {
  const mine = record.claims.filter((c) => !c.preexisting)
  const hooks = mine.filter((c) => c.key.startsWith('hook:')).length
  const entries = mine
    .filter((c) => c.key.startsWith('entry:') && c.sha256 !== undefined)
    .map((c) => c.key.split(':').slice(2).join('.'))
  return [
    ...record.files.map((f) => `file ${f}`),
    ...(hooks > 0 ? [`${hooks} hook handler${hooks === 1 ? '' : 's'} in .claude/settings.json`] : []),
    ...entries.map((e) => `settings ${e}`),
    ...record.memory.map(
      (m) =>
        `memory ${m.file}: ${m.text.split('\n').filter((l) => l.startsWith('# Plugin: ')).length} block(s)`,
    ),
  ]
}

async function list(io: Output, settings: Settings): Promise<void> {
  const records = await listRecords(settings.configsDir)
  const loaded = await loadPlugins({
    workspaceDir: join(settings.configsDir, 'plugins'),
    sharedDir: settings.pluginsDir,
    enabled: settings.enabled,
  })
  for (const record of records) {
    const found = [...loaded.plugins, ...loaded.disabled].find((p) => p.name === record.plugin)
    const state = !found
      ? ' [folder gone]'
      : isEnabled(found, settings.enabled)
        ? ''
        : ' [disabled in config.yaml]'
    io.out(
      `${record.plugin} ${record.version}  source=${record.source}  adaptor=${record.adaptor}  ` +
        `runtime=${record.runtime}${state}`,
    )
    for (const line of installedSummary(record)) io.out(`  ${line}`)
  }
  for (const plugin of [...loaded.plugins, ...loaded.disabled]) {
    if (records.some((r) => r.plugin === plugin.name)) continue
    const state = isEnabled(plugin, settings.enabled) ? 'not installed yet' : 'disabled in config.yaml'
    io.out(`${plugin.name} ${plugin.manifest.version}  (${plugin.scope}, ${state})`)
  }
  if (records.length === 0 && loaded.plugins.length + loaded.disabled.length === 0)
    io.out(`no plugins in ${settings.configsDir}`)
}

/** `molecule-runtime plugins …`; resolves to the exit code (0 success, warnings included; 1 failure; 2 usage). */
export async function runPluginsCommand(argv: readonly string[], io: Output = stdio): Promise<number> {
  try {
    const { values, positionals } = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        configs: { type: 'string' },
        runtime: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    })
    const [action, target, ...extra] = positionals
    if (values.help || action === undefined) {
      io.out(PLUGINS_HELP)
      return values.help ? 0 : 2
    }
    if (extra.length > 0) usage(`unexpected argument "${extra[0]}"`)
    const settings = await settingsFor(values)
    if (action === 'list') {
      await list(io, settings)
      return 0
    }
    if (action === 'install') {
      if (!target) usage('plugins install needs a plugin folder or local://name')
      const runtime = needRuntime(settings)
      const folder = await sourceFolder(target, settings)
      const outcome = await installPluginFrom(folder, { configsDir: settings.configsDir, runtime })
      printInstall(io, outcome)
      const { plugin } = await readPlugin(join(settings.configsDir, 'plugins', outcome.pluginName))
      if (!isEnabled(plugin, settings.enabled))
        io.err(
          `  warning: config.yaml plugins: does not list "${outcome.pluginName}", so the runtime keeps it disabled`,
        )
      return 0
    }
    if (action === 'uninstall') {
      if (!target) usage('plugins uninstall needs a plugin name')
      const result = await uninstallPlugin(settings.configsDir, target)
      io.out(`uninstalled ${result.pluginName}`)
      for (const file of result.filesRemoved) io.out(`  removed ${file}`)
      for (const warning of result.warnings) io.err(`  warning: ${warning}`)
      const folder = join(settings.configsDir, 'plugins', target)
      if (
        (await loadPlugins({ workspaceDir: join(settings.configsDir, 'plugins') })).plugins.some(
          (p) => p.path === folder,
        )
      )
        io.err(
          `  warning: ${folder} stays (this command did not put it there): the runtime installs it again at boot ` +
            'unless the folder goes or config.yaml plugins: leaves it out',
        )
      return 0
    }
    usage(`unknown plugins command "${action}"`)
  } catch (err) {
    const isUsage = err instanceof RuntimeError && err.code === 'PLUGINS_USAGE'
    const verbose = process.env.MOLECULE_LOG_LEVEL?.trim() === 'debug'
    io.err(`molecule-runtime plugins: ${describeError(err, { verbose })}`)
    return isUsage || (err as { code?: unknown }).code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' ? 2 : 1
  }
}
