import { SandboxError } from './sandbox-error.js'

const UNITS: Record<string, number> = { '': 1, b: 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 }

/**
 * Reads a memory size the way docker's `--memory` does (`256m`, `1g`, `512k`, plain bytes). Throws naming the
 * setting when the value cannot be read.
 */
export function parseMemoryLimit(value: string, setting = 'sandbox.memory_limit'): number {
  const match = /^\s*(\d+(?:\.\d+)?)\s*([bkmg]?)b?\s*$/i.exec(value)
  const unit = match ? UNITS[(match[2] ?? '').toLowerCase()] : undefined
  const bytes = match && unit !== undefined ? Math.floor(Number(match[1]) * unit) : Number.NaN
  if (!Number.isFinite(bytes) || bytes < 16 * 1024 ** 2) {
    throw new SandboxError(
      'SANDBOX_LIMIT_INVALID',
      `${setting} '${value}' is not a memory size of at least 16m`,
      {
        path: setting,
        fix: `set ${setting} to a size such as 256m or 1g.`,
      },
    )
  }
  return bytes
}

/** The default limits: 30 s, 256 MiB, 64 processes, 16 MiB files, 10,000 characters of each output stream. */
export const DEFAULT_LIMITS = {
  timeoutSeconds: 30,
  memoryBytes: 256 * 1024 ** 2,
  maxProcesses: 64,
  maxFileBytes: 16 * 1024 ** 2,
  maxOutputChars: 10_000,
} as const

/** `prlimit` arguments for the limits (CPU time gets one second beyond the wall-clock timeout). */
export function prlimitArgs(limits: {
  timeoutSeconds: number
  memoryBytes: number
  maxProcesses: number
  maxFileBytes: number
}): string[] {
  return [
    `--cpu=${Math.ceil(limits.timeoutSeconds) + 1}`,
    `--data=${limits.memoryBytes}`,
    `--nproc=${limits.maxProcesses}`,
    `--fsize=${limits.maxFileBytes}`,
    '--core=0',
  ]
}
