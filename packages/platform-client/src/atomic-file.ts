import { randomBytes } from 'node:crypto'
import { mkdir, open, readFile, rename, unlink } from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'

export interface WriteFileAtomicOptions {
  /** Mode of the written file (default 0600: these files hold tokens, cursors and scrubbed state). */
  mode?: number
  /** Mode of parent directories created on the way (default 0700). */
  dirMode?: number
}

/**
 * Replaces `path` so a reader, a crash or a concurrent writer only ever sees the old content or the new, never a
 * torn file. The data goes to a fresh temp file beside the target, created with its final mode in the same open
 * call ('wx' never follows or reuses an existing entry, and there is no window with wider permissions), is flushed
 * to disk, then renamed over the target. On failure the temp file is removed and the error is rethrown.
 */
export async function writeFileAtomic(
  path: string,
  data: string | Uint8Array,
  options: WriteFileAtomicOptions = {},
): Promise<void> {
  const dir = dirname(path)
  await mkdir(dir, { recursive: true, mode: options.dirMode ?? 0o700 })
  const name = basename(path)
  const temp = join(
    dir,
    `${name.startsWith('.') ? '' : '.'}${name}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`,
  )
  try {
    const handle = await open(temp, 'wx', options.mode ?? 0o600)
    try {
      await handle.writeFile(data)
      await handle.sync()
    } finally {
      await handle.close()
    }
    await rename(temp, path)
  } catch (err) {
    await unlink(temp).catch(() => {})
    throw err
  }
}

/**
 * The parsed JSON content of `path`, or undefined when the file is missing, unreadable or not JSON: for state
 * files written by `writeFileAtomic`, where a damaged file means "start fresh".
 */
export async function readJsonFile(path: string): Promise<unknown> {
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch {
    return undefined
  }
  try {
    return JSON.parse(text) as unknown
  } catch {
    return undefined
  }
}
