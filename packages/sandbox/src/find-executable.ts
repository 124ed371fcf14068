import { accessSync, constants, statSync } from 'node:fs'
import { delimiter, join } from 'node:path'

/** The directories interpreters are taken from: the ones the bwrap sandbox mounts, so both backends agree. */
export const SYSTEM_BIN_DIRS = ['/usr/local/bin', '/usr/bin', '/bin'] as const

function isExecutable(path: string): boolean {
  try {
    if (!statSync(path).isFile()) return false
    accessSync(path, constants.X_OK)
    return true
  } catch {
    return false
  }
}

/** The first executable `name` in `dirs` (default: the directories of `PATH`), or undefined. */
export function findExecutable(name: string, dirs?: readonly string[]): string | undefined {
  const searched = dirs ?? (process.env.PATH ?? '').split(delimiter).filter(Boolean)
  for (const dir of searched) {
    const candidate = join(dir, name)
    if (isExecutable(candidate)) return candidate
  }
  return undefined
}
