import { describeError, type Logger } from '@molecule/core'
import { BootFailure } from './boot/boot-failure.js'
import type { RunningRuntime } from './boot/types.js'
import { startRuntime } from './boot.js'
import { runtimeLogger } from './logger.js'

const HELP = `molecule-runtime — the container entrypoint of a Molecule agent workspace

Usage:
  molecule-runtime                 boot the workspace described by WORKSPACE_ID and /configs/config.yaml
  molecule-runtime dev [options]   embedded dev platform + example workspaces in one process
  molecule-runtime demo            scripted two-workspace conversation, then exit
  molecule-runtime skills check <skill-dir>...
                                   load each skill folder as the runtime would; print what the agent sees
                                   (problems on stderr; exit 1 when one does not load cleanly)
  molecule-runtime prompt [--configs DIR]
                                   print the system prompt assembled from DIR (default WORKSPACE_CONFIG_PATH or
                                   /configs) as the adapter receives it before the platform's parts are added
  molecule-runtime plugins install <dir|local://name> | uninstall <name> | list [--configs DIR] [--runtime NAME]
                                   install, remove or list the workspace's plugins (molecule-runtime plugins --help)
  molecule-runtime --help | --version

dev options:
  --workspaces <n>   number of example workspaces (default 2)
  --port <p>         dev platform port (default 8080; 0 = any free port)
  --adapter <file>   run the workspaces with this adapter module (ADAPTER_MODULE) instead of the echo adapter
  --config <dir>     copy this directory's config.yaml (and prompt files) into each workspace
  --verbose          show runtime logs (JSON on stderr)
  State lives in a temp directory, everything binds 127.0.0.1 and is removed on exit.

Environment: see the README (WORKSPACE_ID, WORKSPACE_CONFIG_PATH, PLATFORM_URL, ADAPTER_MODULE, HOSTNAME,
MOLECULE_SHUTDOWN_GRACE_MS, MOLECULE_A2A_HOST, ...).`

function fail(message: string, code = 1): never {
  process.stderr.write(`molecule-runtime: ${message}\n`)
  process.exit(code)
}

/**
 * User mistakes (a `MoleculeError`: bad env, config, adapter, port) print their message and fix, never a stack.
 * Anything else is a crash: its message, and the stack only with `MOLECULE_LOG_LEVEL=debug`.
 */
function failWith(err: unknown, prefix = ''): never {
  const verbose = process.env.MOLECULE_LOG_LEVEL?.trim() === 'debug'
  fail(`${prefix}${describeError(err, { verbose })}`, err instanceof BootFailure ? err.exitCode : 1)
}

/** How long a stop asked for during boot waits for the boot to finish before the process exits anyway. */
const BOOT_STOP_WAIT_MS = 10_000

async function runWorkspace(): Promise<void> {
  let runtime: RunningRuntime | undefined
  let requested: NodeJS.Signals | undefined
  let bootWait: NodeJS.Timeout | undefined
  let signals = 0
  const stop = (booted: RunningRuntime, signal: NodeJS.Signals): void => {
    // A stop that hangs (a stuck close) must not outlive the grace period by much: exit non-zero instead. The
    // grace period is the one the runtime resolved at boot, so the two can never disagree.
    setTimeout(() => fail('shutdown did not finish in time; exiting'), booted.shutdownGraceMs + 5000).unref()
    booted.stop(signal).then(
      () => process.exit(0),
      (err: unknown) => failWith(err, 'shutdown failed: '),
    )
  }
  // Installed before the boot: a stop that arrives while booting (a container stopped right after it started) waits
  // for the boot and then stops as usual, instead of killing the process between the platform minting the
  // workspace's token and the token reaching the disk. A second signal still exits at once.
  const onSignal = (signal: NodeJS.Signals): void => {
    signals += 1
    if (signals > 1) fail(`second ${signal} during ${runtime ? 'shutdown' : 'boot'}; exiting immediately`)
    if (runtime !== undefined) {
      stop(runtime, signal)
      return
    }
    requested = signal
    runtimeLogger('info').info({ signal }, 'stop requested while booting; stopping once booted')
    bootWait = setTimeout(
      () =>
        fail(
          `${signal} during boot, and the boot did not finish within ${BOOT_STOP_WAIT_MS / 1000} s; exiting`,
        ),
      BOOT_STOP_WAIT_MS,
    )
  }
  process.on('SIGTERM', onSignal)
  process.on('SIGINT', onSignal)
  try {
    runtime = await startRuntime()
  } catch (err) {
    failWith(err)
  }
  clearTimeout(bootWait)
  if (requested !== undefined) stop(runtime, requested)
}

async function main(argv: string[]): Promise<void> {
  const [command, ...rest] = argv
  if (command === '--help' || command === '-h' || command === 'help') {
    process.stdout.write(`${HELP}\n`)
    return
  }
  if (command === '--version' || command === '-v') {
    const { version } = (await import('../package.json', { with: { type: 'json' } })).default as {
      version: string
    }
    process.stdout.write(`${version}\n`)
    return
  }
  // Background loops must never take the process down; a stray rejection is logged, not fatal.
  let rejections: Logger | undefined
  process.on('unhandledRejection', (reason) => {
    rejections ??= runtimeLogger('error')
    rejections.error(
      { err: reason instanceof Error ? reason.message : String(reason) },
      'unhandled rejection',
    )
  })
  if (command === 'plugins') {
    const { runPluginsCommand } = await import('./commands/plugins.js')
    process.exitCode = await runPluginsCommand(rest)
    return
  }
  if (command === 'dev') {
    const { runDev } = await import('./dev.js')
    await runDev(rest)
    return
  }
  if (command === 'demo') {
    const { runDemo } = await import('./demo.js')
    process.exitCode = await runDemo(rest)
    return
  }
  if (command === 'skills') {
    const [sub, ...dirs] = rest
    if (sub !== 'check')
      fail(`unknown skills command "${sub ?? ''}". Usage: molecule-runtime skills check <skill-dir>...`, 2)
    const { skillsCheck } = await import('./skills/skills-check.js')
    process.exitCode = await skillsCheck(dirs, {
      out: (line) => process.stdout.write(`${line}\n`),
      err: (line) => process.stderr.write(`${line}\n`),
    })
    return
  }
  if (command === 'prompt') {
    const { printPrompt } = await import('./skills/print-prompt.js')
    process.stdout.write(`${await printPrompt(rest, process.env)}\n`)
    return
  }
  if (command !== undefined) fail(`unknown command "${command}". Run molecule-runtime --help.`, 2)
  await runWorkspace()
}

// `pnpm dev -- --port 0` forwards the `--` separator itself; it carries no meaning here.
main(process.argv.slice(2).filter((arg) => arg !== '--')).catch(failWith)
