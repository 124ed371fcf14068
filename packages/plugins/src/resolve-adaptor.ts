import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { describeError } from '@molecule/core'
import { BUILTIN_ADAPTORS } from './adaptors/builtins.js'
import { ClaudeCodePluginAdaptor } from './adaptors/claude-code-plugin.js'
import { RawDropAdaptor } from './adaptors/raw-drop.js'
import type { Plugin } from './discovery.js'
import { isFile, readText } from './files.js'
import type { AdaptorSource } from './install-record.js'
import type { PluginAdaptor } from './protocol.js'
import { reexportedBuiltin } from './python-reexport.js'

/** What an adaptor module exports: a factory (preferred) or a class. */
export interface AdaptorModule {
  getAdaptor?: (pluginName: string, runtime: string) => PluginAdaptor
  Adaptor?: new (...args: string[]) => PluginAdaptor
}

/** The runtime's own adaptors, which win over a plugin's: plugin name → snake_case runtime → module. */
export type AdaptorRegistry = Readonly<Record<string, Readonly<Record<string, AdaptorModule>>>>

export interface ResolvedAdaptor {
  adaptor: PluginAdaptor
  source: AdaptorSource
  /** The adaptor's kind for `plugins list`. */
  kind: string
  warnings: string[]
}

function instantiate(module: AdaptorModule, plugin: string, runtime: string): PluginAdaptor | undefined {
  let adaptor: PluginAdaptor | undefined
  if (typeof module.getAdaptor === 'function') adaptor = module.getAdaptor(plugin, runtime)
  else if (typeof module.Adaptor === 'function') {
    try {
      adaptor = new module.Adaptor(plugin, runtime)
    } catch (err) {
      if (!(err instanceof TypeError)) throw err
      adaptor = new module.Adaptor()
    }
  }
  return adaptor && typeof adaptor.install === 'function' ? adaptor : undefined
}

function kindOf(adaptor: PluginAdaptor, fallback: string): string {
  return adaptor.kind ?? fallback
}

/**
 * Picks the adaptor that installs a plugin for a runtime, and never fails: the registry's, then the plugin's own
 * `adapters/<runtime>.js|.mjs` (exporting `getAdaptor` or `Adaptor`), then `adapters/<runtime>.py` when it only
 * re-exports a built-in, then the Claude Code shape for a Claude Code plugin, then the raw drop. A module that
 * does not load or yields no adaptor is a warning naming the file, and the next source is tried.
 */
export async function resolveAdaptor(
  plugin: Plugin,
  runtime: string,
  registry: AdaptorRegistry = {},
): Promise<ResolvedAdaptor> {
  const warnings: string[] = []
  const registered = registry[plugin.name]?.[runtime]
  if (registered) {
    try {
      const adaptor = instantiate(registered, plugin.name, runtime)
      if (adaptor) return { adaptor, source: 'registry', kind: kindOf(adaptor, 'registry'), warnings }
      warnings.push(`registry adaptor for "${plugin.name}" (${runtime}) exports no adaptor; ignored`)
    } catch (err) {
      warnings.push(`registry adaptor for "${plugin.name}" (${runtime}) failed: ${describeError(err)}`)
    }
  }
  for (const ext of ['js', 'mjs']) {
    const file = join(plugin.path, 'adapters', `${runtime}.${ext}`)
    if (!(await isFile(file))) continue
    try {
      const module = (await import(pathToFileURL(file).href)) as AdaptorModule
      const adaptor = instantiate(module, plugin.name, runtime)
      if (adaptor)
        return { adaptor, source: 'plugin', kind: kindOf(adaptor, `adapters/${runtime}.${ext}`), warnings }
      warnings.push(`${file} exports neither getAdaptor nor Adaptor; ignored`)
    } catch (err) {
      warnings.push(`${file} could not be loaded: ${describeError(err)}`)
    }
  }
  const python = join(plugin.path, 'adapters', `${runtime}.py`)
  const source = await readText(python)
  if (source !== undefined) {
    const name = reexportedBuiltin(source)
    const builtin = name === undefined ? undefined : BUILTIN_ADAPTORS[name]
    if (builtin) {
      const adaptor = new builtin(plugin.name, runtime)
      return { adaptor, source: 'plugin', kind: kindOf(adaptor, name ?? ''), warnings }
    }
    warnings.push(
      `${python} is Python code a TypeScript runtime cannot run (only a re-export of a built-in adaptor is ` +
        'understood); the plugin is dropped as files',
    )
  } else if (plugin.manifest.format === 'claude-code') {
    const adaptor = new ClaudeCodePluginAdaptor(plugin.name, runtime)
    return { adaptor, source: 'plugin', kind: adaptor.kind, warnings }
  }
  const adaptor = new RawDropAdaptor(plugin.name, runtime)
  return { adaptor, source: 'raw_drop', kind: adaptor.kind, warnings }
}
