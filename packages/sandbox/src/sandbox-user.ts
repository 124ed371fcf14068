import { readdirSync, statSync } from 'node:fs'

/** The unprivileged account sandboxed code runs as when the runtime itself is root. */
export const NOBODY = 65534

export interface SandboxUser {
  uid?: number
  gid?: number
  /** The RLIMIT_NPROC to set so the code may start `maxProcesses` more processes of that user. */
  nproc: number
}

function processesOf(uid: number): number {
  let count = 0
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    try {
      if (statSync(`/proc/${entry}`).uid === uid) count++
    } catch {
      // The process ended while we looked.
    }
  }
  return count
}

/**
 * Root is exempt from RLIMIT_NPROC and can read every file, so a root runtime runs code as `nobody`. Any other
 * user runs code as itself: the process limit then counts that user's processes too, so it is raised by the count
 * already running.
 */
export function sandboxUser(maxProcesses: number): SandboxUser {
  const uid = process.getuid?.()
  if (uid === 0) return { uid: NOBODY, gid: NOBODY, nproc: processesOf(NOBODY) + maxProcesses }
  if (uid === undefined) return { nproc: maxProcesses }
  return { nproc: processesOf(uid) + maxProcesses }
}
