import { describeError, isMoleculeError } from '@molecule/core'
import { HELP, parseCli } from './cli-options.js'
import { DevPlatformError } from './errors.js'
import { startDevPlatform } from './start-dev-platform.js'

const LEVELS = new Set(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])

/** Mistakes in how the platform was started (flags, variables, unsafe exposure): exit 2, like a bad flag. */
const USAGE_ERRORS = new Set([
  'DEV_PLATFORM_BAD_OPTION',
  'DEV_PLATFORM_ADMIN_TOKEN_REQUIRED',
  'DEV_PLATFORM_LENIENT_EXPOSED',
])

async function main(): Promise<void> {
  const command = parseCli(process.argv.slice(2), process.env)
  if (command.help) {
    process.stdout.write(`${HELP}\n`)
    return
  }
  const level = command.options.logLevel ?? 'info'
  if (!LEVELS.has(level)) {
    throw new DevPlatformError(
      'DEV_PLATFORM_BAD_OPTION',
      `--log-level must be one of ${[...LEVELS].join(', ')}`,
    )
  }
  const platform = await startDevPlatform(command.options)
  // The console's address comes first: it is what a person opens.
  if (platform.platform.options.console) {
    process.stdout.write(`molecule-dev-platform console: ${platform.url}/\n`)
  }
  process.stdout.write(`molecule-dev-platform listening on ${platform.url}\n`)
  let stopping = false
  const stop = (signal: string) => {
    if (stopping) return
    stopping = true
    platform.platform.logger.info({ signal }, 'shutting down')
    platform.close().then(
      () => process.exit(0),
      () => process.exit(1),
    )
  }
  process.once('SIGINT', () => stop('SIGINT'))
  process.once('SIGTERM', () => stop('SIGTERM'))
}

main().catch((error: unknown) => {
  // User mistakes get one clear line, never a stack trace.
  process.stderr.write(`molecule-dev-platform: ${describeError(error)}\n`)
  process.exit(isMoleculeError(error) && USAGE_ERRORS.has(error.code) ? 2 : 1)
})
