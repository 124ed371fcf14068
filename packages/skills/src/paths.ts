import { realpath } from 'node:fs/promises'
import { isAbsolute, relative, sep } from 'node:path'

/**
 * The real path of `file` when it lies inside the real path of `folder`, else undefined: a symlink (or `..`) that
 * leads out of a skill folder must not make the runtime run or import code from elsewhere.
 */
export async function realPathInside(folder: string, file: string): Promise<string | undefined> {
  const [root, target] = await Promise.all([realpath(folder), realpath(file)])
  const rel = relative(root, target)
  if (rel === '' || rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel)) return undefined
  return target
}
