import { unlink } from 'node:fs/promises'
import { join } from 'node:path'
import { readJsonFile, writeFileAtomic } from './atomic-file.js'

/**
 * The durable inbox cursor of one workspace: the id of the last activity row that was acknowledged (or skipped as
 * not-for-the-agent). File `<dir>/inbox-cursor-<workspaceId>.json`, replaced atomically.
 */
export class InboxCursorFile {
  readonly path: string

  constructor(
    dir: string,
    readonly workspaceId: string,
  ) {
    this.path = join(dir, `inbox-cursor-${workspaceId}.json`)
  }

  /** The stored cursor, or undefined when there is none (or the file is unreadable garbage). */
  async load(): Promise<string | undefined> {
    const parsed = (await readJsonFile(this.path)) as { cursor?: unknown } | null | undefined
    return typeof parsed?.cursor === 'string' && parsed.cursor ? parsed.cursor : undefined
  }

  async save(cursor: string): Promise<void> {
    const body = JSON.stringify({
      workspace_id: this.workspaceId,
      cursor,
      updated_at: new Date().toISOString(),
    })
    await writeFileAtomic(this.path, body)
  }

  async clear(): Promise<void> {
    await unlink(this.path).catch((err: NodeJS.ErrnoException) => {
      if (err.code !== 'ENOENT') throw err
    })
  }
}
