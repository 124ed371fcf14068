import type { ProcessOutcome } from './run-process.js'
import type { BackendName, Language, RunCodeResult } from './types.js'

/** The upstream result shape of one run: a timeout or a spawn failure is an `error`, anything else the output. */
export function finishRun(
  outcome: ProcessOutcome,
  language: Language,
  backend: BackendName,
  timeoutSeconds: number,
): RunCodeResult {
  if (outcome.timedOut) return { error: `Timeout after ${timeoutSeconds}s`, exit_code: -1 }
  if (outcome.spawnError) return { error: outcome.spawnError.message, exit_code: -1 }
  return {
    exit_code: outcome.exitCode ?? -1,
    stdout: outcome.stdout,
    stderr: outcome.stderr,
    language,
    backend,
  }
}
