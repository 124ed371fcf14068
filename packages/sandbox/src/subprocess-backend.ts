import { finishRun } from './finish-run.js'
import { requirePrlimit } from './host-tools.js'
import { languageSpec } from './languages.js'
import { prlimitArgs } from './limits.js'
import { runProcess } from './run-process.js'
import { sandboxUser } from './sandbox-user.js'
import type { Backend, Language, RunCodeResult, SandboxLimits } from './types.js'
import { createWorkDir } from './work-dir.js'

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

  async run(
    code: string,
    language: Language,
    limits: SandboxLimits,
    signal?: AbortSignal,
  ): Promise<RunCodeResult> {
    const spec = languageSpec(language)
    const interpreter = spec.interpreter()
    if (!interpreter)
      return { error: `No interpreter for ${language}: install ${spec.install}`, exit_code: -1 }
    const prlimit = requirePrlimit()
    const user = sandboxUser(limits.maxProcesses)
    const work = createWorkDir(spec.fileName, code, user)
    try {
      const outcome = await runProcess(
        {
          command: prlimit,
          args: [...prlimitArgs({ ...limits, maxProcesses: user.nproc }), '--', interpreter, work.codeFile],
          env: { PATH: '/usr/local/bin:/usr/bin:/bin', HOME: work.path, TMPDIR: work.path, LANG: 'C.UTF-8' },
          cwd: work.path,
          ...user,
        },
        limits.timeoutSeconds * 1000,
        limits.maxOutputChars,
        signal,
      )
      return finishRun(outcome, language, 'subprocess', limits.timeoutSeconds)
    } finally {
      work.remove()
    }
  }
}
