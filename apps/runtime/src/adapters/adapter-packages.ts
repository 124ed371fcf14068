import type { Adapter } from '@molecule/adapter-core'
import { AdapterLoadError, loadAdapter, toAdapter } from '@molecule/adapter-core/runtime'

/**
 * Runtimes whose adapter ships as its own package: config `runtime` names it, the package is installed next to the
 * runtime (it is heavy, so the runtime does not depend on it), and it is imported only when chosen.
 */
export const ADAPTER_PACKAGES: Readonly<Record<string, string>> = {
  langgraph: '@molecule/adapter-langgraph',
}

type Importer = (specifier: string) => Promise<Record<string, unknown>>

// A specifier held in a variable: the CLI bundle must not pull the package (and LangChain) in.
const importFromRuntime: Importer = (specifier) => import(specifier) as Promise<Record<string, unknown>>

function isMissing(err: unknown, specifier: string): boolean {
  const e = err as { code?: unknown; message?: unknown }
  return (
    (e?.code === 'ERR_MODULE_NOT_FOUND' || e?.code === 'MODULE_NOT_FOUND') &&
    typeof e.message === 'string' &&
    e.message.includes(specifier)
  )
}

/**
 * The adapter of package `packageName` for config `runtime: <runtime>`: resolved from the runtime's own install,
 * else from the working directory's `node_modules`. Not installed: an `AdapterLoadError` naming the package and the
 * command that installs it.
 */
export async function loadAdapterPackage(
  runtime: string,
  packageName: string,
  options: { importer?: Importer; cwd?: string } = {},
): Promise<Adapter> {
  const where = `runtime "${runtime}" (${packageName})`
  let mod: Record<string, unknown>
  try {
    mod = await (options.importer ?? importFromRuntime)(packageName)
  } catch (err) {
    if (!isMissing(err, packageName))
      throw new AdapterLoadError(
        'ADAPTER_IMPORT_FAILED',
        `Importing ${packageName} for runtime "${runtime}" failed: ${err instanceof Error ? err.message : String(err)}`,
        `Reinstall it (npm install ${packageName}) and check it matches this runtime's version.`,
        { cause: err },
      )
    try {
      return (await loadAdapter({ adapterModule: packageName, cwd: options.cwd ?? process.cwd() })).adapter
    } catch (fromCwd) {
      if ((fromCwd as { code?: unknown }).code !== 'ADAPTER_MODULE_NOT_FOUND') throw fromCwd
      throw new AdapterLoadError(
        'ADAPTER_PACKAGE_MISSING',
        `runtime "${runtime}" (config.yaml \`runtime\`, or the default when it sets none) needs the package ${packageName}, which is not installed.`,
        `Install it next to the runtime (npm install ${packageName}), set ADAPTER_MODULE to another adapter, or pick a built-in runtime (echo, cli).`,
        { cause: err },
      )
    }
  }
  return toAdapter(mod.Adapter ?? mod.default, where)
}

/** Built-in entries for `ADAPTER_PACKAGES`: each a lazy factory, so nothing is imported unless chosen. */
export function adapterPackageBuiltins(): Record<string, () => Promise<Adapter>> {
  return Object.fromEntries(
    Object.entries(ADAPTER_PACKAGES).map(([runtime, pkg]) => [
      runtime,
      () => loadAdapterPackage(runtime, pkg),
    ]),
  )
}
