import { spawn } from 'node:child_process'
import { CappedOutput } from './capped-output.js'

export interface ProcessSpec {
  command: string
  args: string[]
  env: Record<string, string>
  cwd?: string
  /** Run as this uid/gid (the runtime drops root to `nobody` for sandboxed code). */
  uid?: number
  gid?: number
}

export interface ProcessOutcome {
  /** Exit code, 128 + signal number when a signal ended it, or undefined when the timeout killed it. */
  exitCode: number | undefined
  timedOut: boolean
  stdout: string
  stderr: string
  /** Set when the process could not be started at all. */
  spawnError?: Error
}

const SIGNAL_NUMBERS: Record<string, number> = {
  SIGHUP: 1,
  SIGINT: 2,
  SIGQUIT: 3,
  SIGILL: 4,
  SIGABRT: 6,
  SIGFPE: 8,
  SIGKILL: 9,
  SIGSEGV: 11,
  SIGPIPE: 13,
  SIGALRM: 14,
  SIGTERM: 15,
  SIGXCPU: 24,
  SIGXFSZ: 25,
}

/**
 * Runs one process in its own process group with capped stdout/stderr. At the timeout (or on abort) the whole
 * group is killed with SIGKILL, so children the code started go too.
 */
export function runProcess(
  spec: ProcessSpec,
  timeoutMs: number,
  maxOutputChars: number,
  signal?: AbortSignal,
): Promise<ProcessOutcome> {
  return new Promise((resolve) => {
    // UTF-8 takes at most 4 bytes a character: keep enough bytes for the character cap, never more.
    const stdout = new CappedOutput(maxOutputChars * 4)
    const stderr = new CappedOutput(maxOutputChars * 4)
    const child = spawn(spec.command, spec.args, {
      env: spec.env,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
      ...(spec.cwd === undefined ? {} : { cwd: spec.cwd }),
      ...(spec.uid === undefined ? {} : { uid: spec.uid }),
      ...(spec.gid === undefined ? {} : { gid: spec.gid }),
    })
    let timedOut = false
    const killGroup = (): void => {
      if (child.pid === undefined) return
      try {
        process.kill(-child.pid, 'SIGKILL')
      } catch {
        // Already gone.
      }
    }
    const timer = setTimeout(() => {
      timedOut = true
      killGroup()
    }, timeoutMs)
    const onAbort = (): void => killGroup()
    signal?.addEventListener('abort', onAbort, { once: true })
    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk))
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk))
    let spawnError: Error | undefined
    child.on('error', (error) => {
      spawnError = error
    })
    // A background child of the code may hold the pipes open: the run ends when the code's own process does.
    child.on('exit', killGroup)
    child.on('close', (code, killedBy) => {
      clearTimeout(timer)
      signal?.removeEventListener('abort', onAbort)
      const exitCode = code ?? (killedBy ? 128 + (SIGNAL_NUMBERS[killedBy] ?? 0) : spawnError ? undefined : 0)
      const outcome: ProcessOutcome = {
        exitCode: timedOut ? undefined : exitCode,
        timedOut,
        stdout: stdout.text(maxOutputChars),
        stderr: stderr.text(maxOutputChars),
      }
      if (spawnError) outcome.spawnError = spawnError
      resolve(outcome)
    })
  })
}
