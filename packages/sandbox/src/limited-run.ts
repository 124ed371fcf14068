import { finishRun } from './finish-run.js'
import { requirePrlimit } from './host-tools.js'
import { type LanguageSpec, languageSpec } from './languages.js'
import { prlimitArgs } from './limits.js'
import { runProcess } from './run-process.js'
import { sandboxUser } from './sandbox-user.js'
import type { Language, RunCodeResult, SandboxLimits } from './types.js'
import { createWorkDir, type WorkDir } from './work-dir.js'

/** What a backend runs under `prlimit`: the command after `--`, its environment and working directory. */
export interface LimitedCommand {
  args: string[]
  env: Record<string, string>
  cwd?: string
}

/**
 * One run of the process backends (bwrap, subprocess): the language's interpreter, `prlimit` with the limits, the
 * sandbox user, a work dir holding the code (removed afterwards), the timeout and the output cap. Each backend gives
 * only what differs — the command that runs the interpreter — and `ready`, a check made once prlimit is known to be
 * there (bwrap's namespace probe).
 */
export async function runLimited(
  backend: 'bwrap' | 'subprocess',
  run: { code: string; language: Language; limits: SandboxLimits; signal?: AbortSignal | undefined },
  command: (spec: LanguageSpec, interpreter: string, work: WorkDir) => LimitedCommand,
  ready?: () => Promise<void>,
): Promise<RunCodeResult> {
  const { code, language, limits, signal } = run
  const spec = languageSpec(language)
  const interpreter = spec.interpreter()
  if (!interpreter) return { error: `No interpreter for ${language}: install ${spec.install}`, exit_code: -1 }
  const prlimit = requirePrlimit()
  await ready?.()
  const user = sandboxUser(limits.maxProcesses)
  const work = createWorkDir(spec.fileName, code, user)
  try {
    const { args, env, cwd } = command(spec, interpreter, work)
    const outcome = await runProcess(
      {
        command: prlimit,
        args: [...prlimitArgs({ ...limits, maxProcesses: user.nproc }), '--', ...args],
        env,
        ...(cwd === undefined ? {} : { cwd }),
        ...user,
      },
      limits.timeoutSeconds * 1000,
      limits.maxOutputChars,
      signal,
    )
    return finishRun(outcome, language, backend, limits.timeoutSeconds)
  } finally {
    work.remove()
  }
}
