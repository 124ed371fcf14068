import { type Logger, silentLogger } from '@molecule/core'
import { BwrapBackend, findBwrap } from './bwrap-backend.js'
import { DockerBackend } from './docker-backend.js'
import { findExecutable } from './find-executable.js'
import { isLanguage } from './languages.js'
import { DEFAULT_LIMITS } from './limits.js'
import { SandboxError } from './sandbox-error.js'
import { SUBPROCESS_WARNING, SubprocessBackend } from './subprocess-backend.js'
import type { Backend, BackendChoice, BackendName, RunCodeResult, SandboxLimits } from './types.js'

export interface SandboxOptions {
  /** Which backend runs code. Default `auto`: `bwrap` when it is on PATH, else `subprocess` (with a warning). */
  backend?: BackendChoice
  /** Overrides of `DEFAULT_LIMITS`. */
  limits?: Partial<SandboxLimits>
  /** Where the startup warning of the subprocess backend goes. Default: silent. */
  logger?: Logger
}

export interface Sandbox {
  /** The backend this sandbox uses, after `auto` was resolved. */
  readonly backend: BackendName
  readonly limits: SandboxLimits
  /** Runs code; never throws: every failure is a `{ error, exit_code: -1 }` result. */
  run(code: string, language: string, signal?: AbortSignal): Promise<RunCodeResult>
}

function unavailable(backend: BackendName, what: string, fix: string): Backend {
  const error = new SandboxError(
    'SANDBOX_UNAVAILABLE',
    `the ${backend} sandbox backend is unavailable: ${what}`,
    {
      path: 'sandbox.backend',
      fix,
    },
  )
  return {
    name: backend,
    run: () => Promise.reject(error),
  }
}

function chooseBackend(choice: BackendChoice): Backend {
  const bwrap = findBwrap()
  if (choice === 'auto') return bwrap ? new BwrapBackend(bwrap) : new SubprocessBackend()
  if (choice === 'bwrap') {
    return bwrap
      ? new BwrapBackend(bwrap)
      : unavailable(
          'bwrap',
          'bwrap is not on PATH',
          'install bubblewrap (Debian: apt-get install bubblewrap), or set SANDBOX_BACKEND=subprocess.',
        )
  }
  if (choice === 'docker') {
    const docker = findExecutable('docker')
    return docker
      ? new DockerBackend(docker)
      : unavailable(
          'docker',
          'docker is not on PATH',
          'install a docker engine and client, or set SANDBOX_BACKEND=bwrap.',
        )
  }
  if (choice === 'e2b') {
    return unavailable(
      'e2b',
      'this runtime does not ship the E2B client',
      'set SANDBOX_BACKEND to bwrap (or docker) to run code locally.',
    )
  }
  return new SubprocessBackend()
}

/**
 * Builds the code runner behind `run_code`. The backend is decided once; a subprocess backend warns at once that it
 * does not isolate. A backend that cannot run (missing tool, namespaces refused) answers every call with an error
 * naming what to install instead of running the code unsandboxed.
 */
export function createSandbox(options: SandboxOptions = {}): Sandbox {
  const limits: SandboxLimits = { ...DEFAULT_LIMITS, ...options.limits }
  const backend = chooseBackend(options.backend ?? 'auto')
  if (backend.name === 'subprocess') (options.logger ?? silentLogger).warn(SUBPROCESS_WARNING)
  return {
    backend: backend.name,
    limits,
    async run(code, language, signal) {
      if (!isLanguage(language)) return { error: `Unsupported language: ${language}`, exit_code: -1 }
      try {
        return await backend.run(code, language, limits, signal)
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error)
        const fix = error instanceof SandboxError && error.fix ? ` Fix: ${error.fix}` : ''
        return { error: `${message}.${fix}`, exit_code: -1 }
      }
    },
  }
}
