import { spawn } from 'node:child_process'

export interface ScriptRun {
  /** The program and its arguments (the interpreter and the script, or the script itself). */
  command: string
  args: readonly string[]
  cwd: string
  env: Record<string, string>
  /** Written to the script's stdin, which is then closed. */
  stdin: string
  timeoutMs: number
  /** Bytes of stdout kept; more stops the script. */
  maxOutputBytes: number
  signal?: AbortSignal | undefined
}

export interface ScriptOutcome {
  /** `exit`: it ended by itself; the others: it was stopped (with its whole process group). */
  ending: 'exit' | 'timeout' | 'output-cap' | 'aborted' | 'spawn-error'
  code: number | null
  stdout: string
  /** The last 4 KiB of stderr. */
  stderrTail: string
  /** The spawn error's message when `ending` is `spawn-error`. */
  error?: string
}

const STDERR_TAIL_BYTES = 4096

/** Kills every process of the group led by `pid` (the script and whatever it started that kept the group). */
function killGroup(pid: number | undefined): void {
  if (!pid) return
  try {
    process.kill(-pid, 'SIGKILL')
  } catch {
    // The group is already gone.
  }
}

/**
 * Runs one script call in a process group of its own: input on stdin, stdout collected up to the cap, a timeout and
 * the abort signal stop it. Once the script exits, what it left running in its group is killed too, so a call
 * never leaves processes behind. Never rejects.
 */
export function runScript(run: ScriptRun): Promise<ScriptOutcome> {
  return new Promise((resolve) => {
    let ending: ScriptOutcome['ending'] = 'exit'
    const stdout: Buffer[] = []
    let stdoutBytes = 0
    let stderr = Buffer.alloc(0)
    let settled = false
    const child = spawn(run.command, [...run.args], {
      cwd: run.cwd,
      env: run.env,
      detached: true,
      stdio: ['pipe', 'pipe', 'pipe'],
    })
    const stop = (why: ScriptOutcome['ending']) => {
      if (ending === 'exit') ending = why
      killGroup(child.pid)
    }
    const timer = setTimeout(() => stop('timeout'), run.timeoutMs)
    const onAbort = () => stop('aborted')
    run.signal?.addEventListener('abort', onAbort, { once: true })
    if (run.signal?.aborted) onAbort()
    const finish = (outcome: Omit<ScriptOutcome, 'ending' | 'stdout' | 'stderrTail'>) => {
      if (settled) return
      settled = true
      clearTimeout(timer)
      run.signal?.removeEventListener('abort', onAbort)
      killGroup(child.pid)
      resolve({
        ending: outcome.error !== undefined ? 'spawn-error' : ending,
        stdout: Buffer.concat(stdout).toString('utf8'),
        stderrTail: stderr.toString('utf8'),
        ...outcome,
      })
    }
    child.stdout.on('data', (chunk: Buffer) => {
      const room = run.maxOutputBytes - stdoutBytes
      if (room <= 0) return
      stdout.push(chunk.length > room ? chunk.subarray(0, room) : chunk)
      stdoutBytes += Math.min(chunk.length, room)
      if (chunk.length > room) stop('output-cap')
    })
    child.stderr.on('data', (chunk: Buffer) => {
      stderr = Buffer.concat([stderr, chunk])
      if (stderr.length > STDERR_TAIL_BYTES) stderr = stderr.subarray(stderr.length - STDERR_TAIL_BYTES)
    })
    child.on('error', (err) => finish({ code: null, error: err.message }))
    // `close` waits for the pipes, which a grandchild may hold open: the group is killed at `exit`, so they close.
    child.on('exit', () => killGroup(child.pid))
    child.on('close', (code) => finish({ code }))
    child.stdin.on('error', () => {
      // The script exited without reading its input; its exit status tells the story.
    })
    child.stdin.end(run.stdin)
  })
}
