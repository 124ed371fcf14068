import type { BuiltinAdapter } from '@molecule/adapter-core/runtime'
import { adapterPackageBuiltins } from './adapter-packages.js'
import { createCliAdapter } from './cli-adapter.js'
import { echoAdapter } from './echo-adapter.js'

/**
 * Adapters selectable with config.yaml `runtime:` when `ADAPTER_MODULE` is unset: the two in this package, and the
 * ones that ship as packages of their own (`langgraph`, the default), imported when chosen.
 */
export const builtinAdapters: Readonly<Record<string, BuiltinAdapter>> = {
  echo: echoAdapter,
  cli: () => createCliAdapter(),
  ...adapterPackageBuiltins(),
}

export { ADAPTER_PACKAGES, loadAdapterPackage } from './adapter-packages.js'
export { cliRuntimeConfigSchema, createCliAdapter, parseCliRuntimeConfig } from './cli-adapter.js'
export { echoAdapter } from './echo-adapter.js'
export { runCommand } from './run-command.js'
