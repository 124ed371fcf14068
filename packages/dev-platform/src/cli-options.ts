import { parseArgs } from 'node:util'
import { DevPlatformError } from './errors.js'
import type { DevPlatformOptions } from './options.js'

export const HELP = `Usage: molecule-dev-platform [--port <p>] [--host <h>] [options]

An in-memory Molecule platform for local runs and end-to-end tests.

Options (flags win over environment variables):
  --port <p>                  listen port, 0 = any free port      MOLECULE_DEV_PORT (default 8080)
  --host <h>                  listen address                      MOLECULE_DEV_HOST (default 127.0.0.1)
                              beyond loopback it needs MOLECULE_DEV_ADMIN_TOKEN and refuses --lenient
  --allow-origin <origin>     let pages of this origin call the platform (repeatable), e.g. http://localhost:3000
  --allow-host <name>         answer requests whose Host names this (repeatable); IP addresses, localhost and
                              --host are always answered
  --log-level <level>         pino level (silent … trace)         MOLECULE_DEV_LOG_LEVEL (default info)
  --lenient                   dev fail-open: credential-less calls pass workspace/admin gates
                                                                  MOLECULE_DEV_LENIENT=1
  --degraded-after-ms <ms>    heartbeat age → degraded (0 = off)  MOLECULE_DEV_DEGRADED_AFTER_MS (90000)
  --offline-after-ms <ms>     heartbeat age → offline             MOLECULE_DEV_OFFLINE_AFTER_MS (180000)
  --provision-timeout-ms <ms> provisioning → failed               MOLECULE_DEV_PROVISION_TIMEOUT_MS (600000)
  --sweep-interval-ms <ms>    how often liveness is checked       MOLECULE_DEV_SWEEP_INTERVAL_MS (1000)
  --proxy-timeout-ms <ms>     A2A forward idle timeout → busy     MOLECULE_DEV_PROXY_TIMEOUT_MS (300000)
  --delegation-retry-delay-ms <ms>                                MOLECULE_DEV_DELEGATION_RETRY_DELAY_MS (8000)
  --activity-retention-ms <ms>                                    MOLECULE_DEV_ACTIVITY_RETENTION_MS (7 days)
  --approval-expiry-ms <ms>                                       MOLECULE_DEV_APPROVAL_EXPIRY_MS (600000)
  --no-console                do not serve the dev console at /   MOLECULE_DEV_CONSOLE=0
  --console-flush-ms <ms>     batch the console's live updates    MOLECULE_DEV_CONSOLE_FLUSH_MS (100)
  -h, --help                  show this help
Environment only:
  MOLECULE_DEV_ADMIN_TOKEN    operator token; when set, admin routes require it (kept out of argv on purpose)

Once ready it prints the console's URL first ("molecule-dev-platform console: http://<host>:<port>/"), then
"molecule-dev-platform listening on http://<host>:<port>"; SIGINT/SIGTERM stop it.`

const NUMERIC: Array<[flag: string, env: string, key: keyof DevPlatformOptions]> = [
  ['degraded-after-ms', 'MOLECULE_DEV_DEGRADED_AFTER_MS', 'degradedAfterMs'],
  ['offline-after-ms', 'MOLECULE_DEV_OFFLINE_AFTER_MS', 'offlineAfterMs'],
  ['provision-timeout-ms', 'MOLECULE_DEV_PROVISION_TIMEOUT_MS', 'provisionTimeoutMs'],
  ['sweep-interval-ms', 'MOLECULE_DEV_SWEEP_INTERVAL_MS', 'sweepIntervalMs'],
  ['proxy-timeout-ms', 'MOLECULE_DEV_PROXY_TIMEOUT_MS', 'proxyTimeoutMs'],
  ['delegation-retry-delay-ms', 'MOLECULE_DEV_DELEGATION_RETRY_DELAY_MS', 'delegationRetryDelayMs'],
  ['activity-retention-ms', 'MOLECULE_DEV_ACTIVITY_RETENTION_MS', 'activityRetentionMs'],
  ['approval-expiry-ms', 'MOLECULE_DEV_APPROVAL_EXPIRY_MS', 'approvalExpiryMs'],
  ['console-flush-ms', 'MOLECULE_DEV_CONSOLE_FLUSH_MS', 'consoleFlushMs'],
]

function nonNegativeInt(raw: string, name: string): number {
  const value = Number(raw)
  if (!/^\d+$/.test(raw.trim()) || !Number.isSafeInteger(value)) {
    throw new DevPlatformError(
      'DEV_PLATFORM_BAD_OPTION',
      `${name} must be a non-negative integer, got "${raw}"`,
    )
  }
  return value
}

export type CliCommand = { help: true } | { help: false; options: DevPlatformOptions }

/** Flags and `MOLECULE_DEV_*` variables → options. Throws DevPlatformError naming the bad flag. */
export function parseCli(argv: string[], env: NodeJS.ProcessEnv): CliCommand {
  let parsed: ReturnType<typeof parseArgs>
  try {
    parsed = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        port: { type: 'string' },
        host: { type: 'string' },
        'allow-origin': { type: 'string', multiple: true },
        'allow-host': { type: 'string', multiple: true },
        'log-level': { type: 'string' },
        lenient: { type: 'boolean' },
        'no-console': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
        ...Object.fromEntries(NUMERIC.map(([flag]) => [flag, { type: 'string' as const }])),
      },
    })
  } catch (error) {
    throw new DevPlatformError('DEV_PLATFORM_BAD_OPTION', `${(error as Error).message}; see --help`)
  }
  const values = parsed.values as Record<string, string | string[] | boolean | undefined>
  if (values.help) return { help: true }
  const pick = (flag: string, envName: string): string | undefined => {
    const fromFlag = values[flag]
    if (typeof fromFlag === 'string') return fromFlag
    const fromEnv = env[envName]
    return fromEnv === undefined || fromEnv === '' ? undefined : fromEnv
  }
  const options: DevPlatformOptions = {}
  const port = pick('port', 'MOLECULE_DEV_PORT')
  options.port = port === undefined ? 8080 : nonNegativeInt(port, '--port / MOLECULE_DEV_PORT')
  if (options.port > 65_535) {
    throw new DevPlatformError(
      'DEV_PLATFORM_BAD_OPTION',
      `--port must be between 0 and 65535, got ${options.port}`,
    )
  }
  const host = pick('host', 'MOLECULE_DEV_HOST')
  if (host) options.host = host
  const allowOrigin = values['allow-origin']
  if (Array.isArray(allowOrigin)) options.allowedOrigins = allowOrigin
  const allowHost = values['allow-host']
  if (Array.isArray(allowHost)) options.allowedHosts = allowHost
  const level = pick('log-level', 'MOLECULE_DEV_LOG_LEVEL')
  if (level) options.logLevel = level
  const lenientEnv = env.MOLECULE_DEV_LENIENT
  options.lenient = values.lenient === true || lenientEnv === '1' || lenientEnv === 'true'
  if (env.MOLECULE_DEV_ADMIN_TOKEN) options.adminToken = env.MOLECULE_DEV_ADMIN_TOKEN
  const consoleEnv = env.MOLECULE_DEV_CONSOLE
  if (values['no-console'] === true || consoleEnv === '0' || consoleEnv === 'false') options.console = false
  for (const [flag, envName, key] of NUMERIC) {
    const raw = pick(flag, envName)
    if (raw !== undefined)
      (options as Record<string, unknown>)[key] = nonNegativeInt(raw, `--${flag} / ${envName}`)
  }
  return { help: false, options }
}
