import { chmodSync, chownSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { SandboxUser } from './sandbox-user.js'

/** A private directory for one run, owned by the sandbox user, holding the code file; removed after the run. */
export interface WorkDir {
  path: string
  codeFile: string
  remove(): void
}

export function createWorkDir(
  fileName: string,
  code: string,
  user: Pick<SandboxUser, 'uid' | 'gid'>,
): WorkDir {
  const path = mkdtempSync(join(tmpdir(), 'molecule-sandbox-'))
  const codeFile = join(path, fileName)
  writeFileSync(codeFile, code, { mode: 0o600 })
  if (user.uid !== undefined && user.gid !== undefined) {
    chownSync(path, user.uid, user.gid)
    chownSync(codeFile, user.uid, user.gid)
  }
  chmodSync(path, 0o700)
  return { path, codeFile, remove: () => rmSync(path, { recursive: true, force: true }) }
}
