import { findExecutable, SYSTEM_BIN_DIRS } from './find-executable.js'
import { SandboxError } from './sandbox-error.js'

const SBIN_DIRS = [...SYSTEM_BIN_DIRS, '/usr/sbin', '/sbin']

/** `prlimit` (util-linux) sets the rlimits of the sandboxed process tree; Node cannot set a child's rlimits. */
export function requirePrlimit(): string {
  const found = findExecutable('prlimit', SBIN_DIRS)
  if (found) return found
  throw new SandboxError(
    'SANDBOX_TOOL_MISSING',
    'prlimit was not found; run_code needs it to limit the code it runs',
    {
      fix: 'install util-linux (Debian: apt-get install util-linux).',
    },
  )
}
