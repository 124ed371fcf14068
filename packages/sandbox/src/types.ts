/** The languages `run_code` accepts. */
export const LANGUAGES = ['python', 'javascript', 'shell', 'bash'] as const
export type Language = (typeof LANGUAGES)[number]

/** Where code runs. `auto` picks `bwrap` when it is on PATH, else `subprocess`. */
export const BACKENDS = ['auto', 'bwrap', 'subprocess', 'docker', 'e2b'] as const
export type BackendChoice = (typeof BACKENDS)[number]
export type BackendName = Exclude<BackendChoice, 'auto'>

/** A finished run: the process's exit code (128 + signal number when a signal ended it) and its capped output. */
export interface RunCodeSuccess {
  exit_code: number
  stdout: string
  stderr: string
  language: Language
  backend: BackendName
  /** The container image (docker backend only). */
  image?: string
}

/** A run that did not finish: unsupported language, timeout, a backend that cannot start. */
export interface RunCodeFailure {
  error: string
  exit_code: -1
}

export type RunCodeResult = RunCodeSuccess | RunCodeFailure

/** The limits every backend applies. */
export interface SandboxLimits {
  /** Wall-clock seconds before the whole process tree is killed. */
  timeoutSeconds: number
  /** Bytes of data segment (heap) each process may use. */
  memoryBytes: number
  /** Processes the sandbox user may run at once (a fork bomb stops here). */
  maxProcesses: number
  /** The largest file a process may write, in bytes. */
  maxFileBytes: number
  /** Characters of stdout and of stderr each kept in the result. */
  maxOutputChars: number
}

/** One backend: runs a prepared program under the limits. */
export interface Backend {
  readonly name: BackendName
  run(code: string, language: Language, limits: SandboxLimits, signal?: AbortSignal): Promise<RunCodeResult>
}
