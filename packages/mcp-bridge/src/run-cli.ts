import { Console } from 'node:console'
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js'
import { BridgeConfigError, loadBridgeConfig } from './bridge-config.js'
import { createBridgeServer } from './bridge-server.js'
import { pushEnabled } from './channel-push.js'
import { doctorFailed, formatDoctorTable, runDoctor } from './doctor.js'
import { HELP_TEXT } from './help-text.js'
import { createBridgeLogger } from './logger.js'
import { BRIDGE_VERSION } from './version.js'
import { WorkspacePool } from './workspace-pool.js'

function loadOrExit(env: NodeJS.ProcessEnv) {
  try {
    return loadBridgeConfig(env)
  } catch (err) {
    if (err instanceof BridgeConfigError) {
      process.stderr.write(`molecule-mcp: ${err.heading}\n${err.problems.map((p) => `  ${p}`).join('\n')}\n`)
      process.stderr.write('Run molecule-mcp --help for every setting.\n')
      process.exit(2)
    }
    process.stderr.write(`molecule-mcp: ${(err as Error).message}\n`)
    process.exit(2)
  }
}

/**
 * stdout belongs to JSON-RPC while serving: a stray `console.log` from any dependency would be a parse error in
 * the host. Every console method is rebound to a console that writes to stderr.
 */
function consoleToStderr(): void {
  const stderrConsole = new Console({ stdout: process.stderr, stderr: process.stderr })
  const target = console as unknown as Record<string, unknown>
  const source = stderrConsole as unknown as Record<string, unknown>
  for (const name of Object.keys(source)) {
    const method = source[name]
    if (typeof method === 'function') target[name] = method.bind(stderrConsole)
  }
}

async function serve(): Promise<void> {
  consoleToStderr()
  const env = process.env
  const config = loadOrExit(env)
  const logger = createBridgeLogger(config.verbose)
  for (const warning of config.warnings) logger.warn(warning)
  const pool = new WorkspacePool(config, logger)
  const server = createBridgeServer({ pool, logger, version: BRIDGE_VERSION, push: pushEnabled(env), env })

  let closing = false
  const shutdown = async (code: number) => {
    if (closing) return
    closing = true
    await pool.stop().catch(() => {})
    process.exit(code)
  }
  process.on('SIGTERM', () => void shutdown(0))
  process.on('SIGINT', () => void shutdown(0))
  process.stdin.on('end', () => void shutdown(0))
  server.onclose = () => void shutdown(0)

  // Answer initialize first; registration runs behind it so a slow platform never delays the host.
  await server.connect(new StdioServerTransport())
  await pool.start()
  if (config.mode === 'single' && pool.primary.fatal) {
    logger.error(`workspace ${pool.primary.id}: ${pool.primary.problem}`)
    await shutdown(3)
  }
}

async function doctor(): Promise<void> {
  const config = loadOrExit(process.env)
  for (const warning of config.warnings) process.stderr.write(`molecule-mcp: warning: ${warning}\n`)
  const rows = await runDoctor(config)
  process.stdout.write(`${formatDoctorTable(rows)}\n`)
  process.exit(doctorFailed(rows) ? 1 : 0)
}

/** The `molecule-mcp` command line: serve (default), `doctor`, `--help`, `--version`. */
export async function runCli(argv: string[] = process.argv.slice(2)): Promise<void> {
  const command = argv[0]
  if (command === '--help' || command === '-h' || command === 'help') {
    process.stdout.write(HELP_TEXT)
  } else if (command === '--version' || command === '-v' || command === 'version') {
    process.stdout.write(`${BRIDGE_VERSION}\n`)
  } else if (command === 'doctor' || command === '--doctor') {
    await doctor()
  } else if (command !== undefined) {
    process.stderr.write(`molecule-mcp: unknown argument '${command}'. Run molecule-mcp --help.\n`)
    process.exit(2)
  } else {
    await serve()
  }
}
