import { readFileSync } from 'node:fs'

/**
 * True while `pid` is a live process. `process.kill(pid, 0)` also succeeds for a zombie — a killed process whose
 * exit status nobody has collected yet (in a container, PID 1 reaps reparented orphans lazily) — so a zombie,
 * which holds no resources and runs no code, counts as gone.
 */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
  } catch {
    return false
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3)
    return state !== 'Z' && state !== 'X'
  } catch {
    return false
  }
}

/** Polls until `pid` is gone or `ms` elapse; returns whether it is gone. */
export async function waitGone(pid: number, ms = 3000): Promise<boolean> {
  const end = Date.now() + ms
  while (Date.now() < end) {
    if (!isAlive(pid)) return true
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
  return !isAlive(pid)
}
