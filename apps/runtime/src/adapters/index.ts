import type { BuiltinAdapter } from '@molecule/adapter-core'
import { createCliAdapter } from './cliAdapter.js'
import { echoAdapter } from './echoAdapter.js'

/** Adapters selectable with config.yaml `runtime:` when `ADAPTER_MODULE` is unset. */
export const builtinAdapters: Readonly<Record<string, BuiltinAdapter>> = {
  echo: echoAdapter,
  cli: () => createCliAdapter(),
}

export { cliRuntimeConfigSchema, createCliAdapter, parseCliRuntimeConfig } from './cliAdapter.js'
export { echoAdapter } from './echoAdapter.js'
export { runCommand } from './runCommand.js'
