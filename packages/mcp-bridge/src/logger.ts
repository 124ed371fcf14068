import pino, { type Logger } from 'pino'

/**
 * stdout carries only JSON-RPC, so logs go to stderr (fd 2), synchronously so nothing is lost on exit.
 * Quiet (warn) by default; MOLECULE_MCP_VERBOSE raises it to info. Tokens are redacted at the logger.
 */
export function createBridgeLogger(verbose: boolean): Logger {
  return pino(
    {
      name: 'molecule-mcp',
      level: verbose ? 'info' : 'warn',
      base: undefined,
      redact: {
        paths: [
          'token',
          '*.token',
          'authorization',
          '*.authorization',
          'headers.authorization',
          'auth_token',
          '*.auth_token',
        ],
        censor: '[redacted]',
      },
    },
    pino.destination({ fd: 2, sync: true }),
  )
}
