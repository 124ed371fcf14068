import { runLimited } from './limited-run.js'
import type { Backend, Language, RunCodeResult, SandboxLimits } from './types.js'

/** Said once at startup when this backend is chosen. */
export const SUBPROCESS_WARNING =
  'run_code uses the subprocess backend, which is not an isolation boundary: code shares the network, the process table and every file its user can read. Install bubblewrap (Debian: apt-get install bubblewrap) or configure docker to isolate it.'

/**
 * The limits that need no namespaces: rlimits, a process group killed at the timeout, an environment with nothing
 * but a minimal PATH, its own temporary directory, and `nobody` instead of root. It does not isolate: code reaches
 * the network and every file that user can read, and a process that starts its own session outlives the timeout.
 */
export class SubprocessBackend implements Backend {
  readonly name = 'subprocess' as const

  run(code: string, language: Language, limits: SandboxLimits, signal?: AbortSignal): Promise<RunCodeResult> {
    return runLimited('subprocess', { code, language, limits, signal }, (_spec, interpreter, work) => ({
      args: [interpreter, work.codeFile],
      env: { PATH: '/usr/local/bin:/usr/bin:/bin', HOME: work.path, TMPDIR: work.path, LANG: 'C.UTF-8' },
      cwd: work.path,
    }))
  }
}
