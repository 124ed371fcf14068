import { spawn } from 'node:child_process'

export interface CommandRunOptions {
  command: string
  args: readonly string[]
  /** Written to stdin and then stdin is closed; omit to close stdin immediately. */
  stdin?: string
  cwd?: string
  env?: NodeJS.ProcessEnv
  /** Kill the process group after this many ms; 0 or undefined = no limit. */
  timeoutMs?: number
  /** Abort kills the process group (task cancel, shutdown). */
  signal?: AbortSignal
  /** Time between SIGTERM and SIGKILL for the group. */
  killGraceMs?: number
  onStdout?: (chunk: string) => void
  /** The child's pid, as soon as it exists (tests check it for orphans). */
  onSpawn?: (pid: number) => void
  /** Cap on captured output per stream, so a chatty CLI cannot exhaust memory. */
  maxOutputBytes?: number
}

export interface CommandRunResult {
  exitCode: number | null
  signal: NodeJS.Signals | null
  stdout: string
  stderr: string
  timedOut: boolean
  cancelled: boolean
  /** Set when the command could not be started at all (e.g. ENOENT). */
  spawnError?: string
  pid?: number
}

const DEFAULT_MAX_OUTPUT = 4 * 1024 * 1024

/**
 * Runs one CLI turn in its own process group (`detached`) so a timeout or cancel can kill everything the CLI
 * started (shells, language servers, sub-agents) with one negative-pid signal: SIGTERM first, SIGKILL after
 * `killGraceMs`. Resolves once the child has exited and its pipes closed — never rejects.
 */
export function runCommand(options: CommandRunOptions): Promise<CommandRunResult> {
  const maxBytes = options.maxOutputBytes ?? DEFAULT_MAX_OUTPUT
  const killGraceMs = options.killGraceMs ?? 2000
  return new Promise((resolve) => {
    let stdout = ''
    let stderr = ''
    let timedOut = false
    let cancelled = false
    let killTimer: NodeJS.Timeout | undefined
    let timeoutTimer: NodeJS.Timeout | undefined

    if (options.signal?.aborted) {
      resolve({ exitCode: null, signal: null, stdout, stderr, timedOut, cancelled: true })
      return
    }

    const child = spawn(options.command, [...options.args], {
      cwd: options.cwd,
      env: options.env ?? process.env,
      detached: true,
      stdio: ['pipe', 'pipe', 'pipe'],
    })
    const pid = child.pid

    const killGroup = (sig: NodeJS.Signals): void => {
      if (pid === undefined) return
      try {
        process.kill(-pid, sig)
      } catch {
        // The group is already gone.
      }
    }
    const terminate = (): void => {
      killGroup('SIGTERM')
      killTimer ??= setTimeout(() => killGroup('SIGKILL'), killGraceMs)
      killTimer.unref()
    }
    const onAbort = (): void => {
      cancelled = true
      terminate()
    }

    if (pid !== undefined) options.onSpawn?.(pid)
    options.signal?.addEventListener('abort', onAbort, { once: true })
    if (options.timeoutMs && options.timeoutMs > 0) {
      timeoutTimer = setTimeout(() => {
        timedOut = true
        terminate()
      }, options.timeoutMs)
    }

    child.stdout.setEncoding('utf8')
    child.stderr.setEncoding('utf8')
    child.stdout.on('data', (chunk: string) => {
      if (stdout.length < maxBytes) stdout += chunk
      options.onStdout?.(chunk)
    })
    child.stderr.on('data', (chunk: string) => {
      if (stderr.length < maxBytes) stderr += chunk
    })
    // EPIPE when the CLI exits without reading stdin is expected, not an error of ours.
    child.stdin.on('error', () => {})
    child.stdin.end(options.stdin ?? '')

    let spawnError: string | undefined
    child.on('error', (err) => {
      spawnError = (err as NodeJS.ErrnoException).code ?? err.message
    })
    child.on('close', (exitCode, signal) => {
      clearTimeout(timeoutTimer)
      options.signal?.removeEventListener('abort', onAbort)
      // The leader is gone; make sure nothing it left behind in its group survives a timeout or cancel.
      if (timedOut || cancelled) {
        killGroup('SIGKILL')
      }
      clearTimeout(killTimer)
      const result: CommandRunResult = { exitCode, signal, stdout, stderr, timedOut, cancelled }
      if (pid !== undefined) result.pid = pid
      if (spawnError !== undefined) result.spawnError = spawnError
      resolve(result)
    })
  })
}
