import type { BuiltinAdapter } from '@molecule/adapter-core/runtime'
import { createCliAdapter } from './cli-adapter.js'
import { echoAdapter } from './echo-adapter.js'

/** Adapters selectable with config.yaml `runtime:` when `ADAPTER_MODULE` is unset. */
export const builtinAdapters: Readonly<Record<string, BuiltinAdapter>> = {
  echo: echoAdapter,
  cli: () => createCliAdapter(),
}

export { cliRuntimeConfigSchema, createCliAdapter, parseCliRuntimeConfig } from './cli-adapter.js'
export { echoAdapter } from './echo-adapter.js'
export { runCommand } from './run-command.js'
