import type { Logger } from '@molecule/core'
import { createLogger } from '@molecule/logger'

/**
 * The bridge's logger: stdout carries only JSON-RPC, so lines go to stderr (the factory's default), quiet (warn) unless
 * MOLECULE_MCP_VERBOSE raises it to info.
 */
export function createBridgeLogger(verbose: boolean): Logger {
  return createLogger({ name: 'molecule-mcp', level: verbose ? 'info' : 'warn' })
}
