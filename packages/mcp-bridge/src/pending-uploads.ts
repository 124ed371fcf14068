import { stat } from 'node:fs/promises'
import { join } from 'node:path'
import type { Logger } from '@molecule/core'
import {
  type ActivityRow,
  isPlatformError,
  PENDING_UPLOAD_MAX_BYTES,
  type PlatformClient,
  uploadManifest,
  writeFileAtomic,
} from '@molecule/platform-client'

export interface PendingUploadResolverOptions {
  client: PlatformClient
  /** Where files are saved (created 0700). The bridge uses `<configsDir>/chat-uploads`. */
  dir: string
  logger: Logger
  /** Per-file cap; default 25 MB (the platform's own cap). */
  maxBytes?: number
  /** Failed tries of one upload before its row is delivered unresolved. Default 5. */
  maxAttempts?: number
  /** Remembered `platform-pending:` → local path mappings (LRU). Default 1024. */
  cacheSize?: number
}

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
const PENDING_URI_RE = /platform-pending:[A-Za-z0-9-]+\/[A-Za-z0-9-]+/g

/** `[A-Za-z0-9._-]` only, no leading dots, at most 100 characters (the extension kept); never empty. */
export function sanitizeUploadName(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? ''
  let safe = base.replace(/[^A-Za-z0-9._-]/g, '_').replace(/^\.+/, '')
  if (safe.length > 100) {
    const dot = safe.lastIndexOf('.')
    const ext = dot > 0 && safe.length - dot <= 16 ? safe.slice(dot) : ''
    safe = safe.slice(0, 100 - ext.length) + ext
  }
  return safe || 'file'
}

/** Replaces every known `platform-pending:` URI inside strings of a JSON value (a copy; the input is untouched). */
export function rewritePendingUris(value: unknown, lookup: (uri: string) => string | undefined): unknown {
  if (typeof value === 'string') {
    return value.includes('platform-pending:')
      ? value.replace(PENDING_URI_RE, (uri) => lookup(uri) ?? uri)
      : value
  }
  if (Array.isArray(value)) return value.map((item) => rewritePendingUris(item, lookup))
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {}
    for (const [key, item] of Object.entries(value)) out[key] = rewritePendingUris(item, lookup)
    return out
  }
  return value
}

class PermanentUploadFailure extends Error {}

/**
 * The bridge side of poll-mode chat uploads. For a `chat_upload_receive` row it fetches the
 * bytes, saves them under `dir` (mode 0600, `<32 hex of the file id>-<sanitised name>`, written to a temp file,
 * fsynced and renamed, so a file under its final name is always complete), acknowledges the upload on the
 * platform only after that, and remembers `platform-pending:<ws>/<file id>` → local path. Every row (the upload
 * row itself and later chat messages) gets the known URIs rewritten to local paths before the agent sees it.
 *
 * At-least-once: a transient failure (platform unreachable, 5xx, a failed write or ack) throws, so the poller
 * holds its cursor and offers the row again; a redelivered row finds its file already saved (the name derives
 * from the file id) and only acknowledges again. After `maxAttempts` failures, or at once for a permanent one
 * (404 gone, over the size cap, a row without a file id), the row is delivered with its `platform-pending:` URI
 * unresolved and a warning, rather than holding up the inbox.
 */
export class PendingUploadResolver {
  readonly #cache = new Map<string, string>()
  readonly #attempts = new Map<string, number>()
  readonly #maxBytes: number
  readonly #maxAttempts: number
  readonly #cacheSize: number

  constructor(private readonly options: PendingUploadResolverOptions) {
    this.#maxBytes = options.maxBytes ?? PENDING_UPLOAD_MAX_BYTES
    this.#maxAttempts = Math.max(1, options.maxAttempts ?? 5)
    this.#cacheSize = Math.max(1, options.cacheSize ?? 1024)
  }

  /** The local path saved for a `platform-pending:` URI, if known. */
  lookup(uri: string): string | undefined {
    const local = this.#cache.get(uri)
    if (local !== undefined) {
      this.#cache.delete(uri)
      this.#cache.set(uri, local)
    }
    return local
  }

  /** `InboxPoller` `prepareRow`: resolves an upload row, then rewrites known URIs in any row. */
  prepareRow = async (row: ActivityRow, signal?: AbortSignal): Promise<ActivityRow> => {
    if (row.method === 'chat_upload_receive') await this.resolve(row, signal)
    return this.rewrite(row)
  }

  private rewrite(row: ActivityRow): ActivityRow {
    const lookup = (uri: string) => this.lookup(uri)
    const out: ActivityRow = { ...row }
    if (row.request_body !== undefined) out.request_body = rewritePendingUris(row.request_body, lookup)
    if (row.attachments !== undefined) out.attachments = rewritePendingUris(row.attachments, lookup)
    return out
  }

  private remember(uri: string, local: string): void {
    this.#cache.delete(uri)
    this.#cache.set(uri, local)
    while (this.#cache.size > this.#cacheSize) {
      const oldest = this.#cache.keys().next().value
      if (oldest === undefined) break
      this.#cache.delete(oldest)
    }
  }

  private async resolve(row: ActivityRow, signal?: AbortSignal): Promise<void> {
    const { client, logger } = this.options
    const manifest = uploadManifest(row.request_body)
    const fileId = manifest?.fileId
    if (!manifest || !fileId || !UUID_RE.test(fileId)) {
      logger.warn({ activityId: row.id }, 'chat upload row without a usable file id; delivered unresolved')
      return
    }
    // A URI naming another workspace (forwarded upload) is not ours to fetch through this workspace's routes.
    const uri = `platform-pending:${client.workspaceId}/${fileId}`
    if (this.#cache.has(uri)) return
    const path = join(
      this.options.dir,
      `${fileId.replaceAll('-', '').toLowerCase()}-${sanitizeUploadName(manifest.name ?? 'file')}`,
    )
    try {
      if (!(await isFile(path))) {
        if (manifest.size !== undefined && manifest.size > this.#maxBytes) {
          throw new PermanentUploadFailure(`${manifest.size} bytes is over the ${this.#maxBytes}-byte limit`)
        }
        const content = await client
          .fetchPendingUpload(fileId, { maxBytes: this.#maxBytes, ...(signal ? { signal } : {}) })
          .catch((err: unknown) => {
            if (isPlatformError(err) && (err.status === 404 || err.code === 'PLATFORM_BAD_RESPONSE')) {
              throw new PermanentUploadFailure(err.message)
            }
            throw err
          })
        await this.save(path, content.bytes)
      }
      // Acknowledge only once the file is safely on disk; 404 = already acknowledged (an earlier delivery).
      await client.ackPendingUpload(fileId, signal ? { signal } : {}).catch((err: unknown) => {
        if (!(isPlatformError(err) && err.status === 404)) throw err
      })
      this.#attempts.delete(fileId)
      this.remember(uri, path)
      if (manifest.uri !== uri) this.remember(manifest.uri, path)
      logger.info({ activityId: row.id, fileId, path }, 'chat upload saved')
    } catch (err) {
      if (signal?.aborted) throw err
      const why = (err as Error)?.message ?? String(err)
      if (err instanceof PermanentUploadFailure) {
        this.#attempts.delete(fileId)
        logger.warn(
          { activityId: row.id, fileId, err: why },
          'chat upload cannot be fetched; delivered unresolved',
        )
        return
      }
      const attempts = (this.#attempts.get(fileId) ?? 0) + 1
      if (attempts >= this.#maxAttempts) {
        this.#attempts.delete(fileId)
        logger.warn(
          { activityId: row.id, fileId, attempts, err: why },
          'chat upload still failing; delivered unresolved',
        )
        return
      }
      this.#attempts.set(fileId, attempts)
      throw err
    }
  }

  private async save(path: string, bytes: Uint8Array): Promise<void> {
    // Temp file created 0600 with 'wx' (never follows an existing entry, symlinks included), fsynced, renamed.
    await writeFileAtomic(path, bytes)
  }
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile()
  } catch {
    return false
  }
}
