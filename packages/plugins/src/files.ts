import { createHash } from 'node:crypto'
import { readdir, readFile, stat } from 'node:fs/promises'
import { join } from 'node:path'

export function sha256(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex')
}

/** The file's hash, or undefined when it is missing or unreadable. */
export async function fileHash(file: string): Promise<string | undefined> {
  return readFile(file).then(sha256, () => undefined)
}

export async function isDirectory(path: string): Promise<boolean> {
  return stat(path).then(
    (s) => s.isDirectory(),
    () => false,
  )
}

export async function isFile(path: string): Promise<boolean> {
  return stat(path).then(
    (s) => s.isFile(),
    () => false,
  )
}

export async function readText(path: string): Promise<string | undefined> {
  return readFile(path, 'utf8').catch(() => undefined)
}

/** Entry names of a directory, sorted; none when it is missing. */
export async function entries(dir: string): Promise<string[]> {
  return readdir(dir).then(
    (names) => names.sort(),
    () => [],
  )
}

/** Every regular file under `dir`, as paths relative to it (`/`-separated), sorted; symlinks are not followed. */
export async function filesUnder(dir: string, prefix = ''): Promise<string[]> {
  const out: string[] = []
  const items = await readdir(join(dir, prefix), { withFileTypes: true }).catch(() => [])
  for (const item of items.sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const rel = prefix ? `${prefix}/${item.name}` : item.name
    if (item.isDirectory()) out.push(...(await filesUnder(dir, rel)))
    else if (item.isFile()) out.push(rel)
  }
  return out
}

/** Windows line endings break shebang scripts (`bash\r: not found`): scripts are copied with `\n` only. */
export function withUnixLineEndings(text: string): string {
  return text.replace(/\r\n?/g, '\n')
}
