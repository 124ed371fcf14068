import { randomBytes } from 'node:crypto'
import { extname } from 'node:path'
import { type Context, Hono } from 'hono'
import { bearerOf } from '../auth-gates.js'
import { isUuid, newId } from '../ids.js'
import { deliveryModeOf } from '../workspace.js'
import { errorJson, type RouteContext } from './route-context.js'

const PER_FILE_LIMIT = 25 * 1024 * 1024
const UPLOAD_DIR = '/workspace/.molecule/chat-uploads'
const DOWNLOAD_ROOTS = ['/configs/', '/workspace/', '/home/', '/plugins/']
const MIME_BY_EXT: Record<string, string> = {
  '.txt': 'text/plain',
  '.md': 'text/markdown',
  '.json': 'application/json',
  '.pdf': 'application/pdf',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.zip': 'application/zip',
  '.csv': 'text/csv',
  '.html': 'text/html',
}

const sanitise = (name: string) => name.replace(/[^A-Za-z0-9._-]/g, '_') || 'file'

/** The part's Content-Type; browsers and FormData label unknown parts octet-stream, then the extension tells more. */
function mimeOf(file: File, name: string): string {
  const declared = file.type && file.type !== 'application/octet-stream' ? file.type : undefined
  return declared ?? MIME_BY_EXT[extname(name).toLowerCase()] ?? 'application/octet-stream'
}

/**
 * Chat uploads: `POST /workspaces/:id/chat/uploads` stores files, `GET /workspaces/:id/chat/download?path=` serves
 * them back. Upstream copies the bytes into the workspace's Docker container (503 for external workspaces); the dev
 * platform keeps them in memory for every workspace.
 *
 * A user upload to a poll-mode workspace (any authorised caller except the workspace's own token: the canvas user,
 * the admin, a credential-less call in lenient mode) takes the poll path instead: each file becomes a pending upload
 * (`platform-pending:<workspace>/<file id>`) plus a `chat_upload_receive` inbox row; the workspace fetches it with
 * `GET /workspaces/:id/pending-uploads/:fileId/content` and releases it with
 * `POST /workspaces/:id/pending-uploads/:fileId/ack`. The workspace's own uploads (attachments of its outbound
 * messages) keep the `workspace:` staging.
 */
export function uploadRoutes({ state }: RouteContext): Hono {
  const app = new Hono()

  app.post('/chat/uploads', async (c) => {
    const id = c.req.param('id') ?? ''
    const ws = state.get(id)
    if (!ws || ws.status === 'removed') return errorJson(c, 404, 'workspace not found')
    let form: Record<string, unknown>
    try {
      if (!c.req.header('Content-Type')?.startsWith('multipart/form-data')) throw new Error('not multipart')
      form = await c.req.parseBody({ all: true })
    } catch {
      return errorJson(c, 400, 'failed to parse multipart form')
    }
    const field = form.files
    const files = (Array.isArray(field) ? field : field === undefined ? [] : [field]).filter(
      (f): f is File => f instanceof File,
    )
    if (files.length === 0) return errorJson(c, 400, "expected at least one 'files' field")
    const tooBig = files.find((f) => f.size > PER_FILE_LIMIT)
    if (tooBig) return errorJson(c, 413, `${tooBig.name} exceeds per-file limit (25 MB)`)
    const token = bearerOf(c)
    const own = token !== undefined && state.tokens.verify(id, token)
    if (deliveryModeOf(ws) === 'poll' && !own) {
      const pending = []
      for (const file of files) {
        const name = file.name || 'file'
        const record = {
          id: newId(),
          workspaceId: id,
          name,
          mimeType: mimeOf(file, name),
          bytes: new Uint8Array(await file.arrayBuffer()),
          created_at: state.now(),
          acked_at: null,
        }
        state.pendingUploads.set(record.id, record)
        const entry = {
          file_id: record.id,
          uri: `platform-pending:${id}/${record.id}`,
          name,
          mimeType: record.mimeType,
          size: record.bytes.byteLength,
        }
        // One inbox row per file, written before the response so a following chat message comes after it.
        state.recordActivity({
          workspace_id: id,
          activity_type: 'a2a_receive',
          target_id: id,
          method: 'chat_upload_receive',
          summary: `chat_upload_receive: ${name}`,
          request_body: entry,
        })
        pending.push({ uri: entry.uri, name, mimeType: entry.mimeType, size: entry.size })
      }
      return c.json({ files: pending })
    }
    const stored = []
    for (const file of files) {
      const name = file.name || 'file'
      const path = `${UPLOAD_DIR}/${randomBytes(16).toString('hex')}-${sanitise(name)}`
      const mimeType = mimeOf(file, name)
      const bytes = new Uint8Array(await file.arrayBuffer())
      state.uploads.set(`${id}:${path}`, { workspaceId: id, path, name, mimeType, bytes })
      stored.push({ uri: `workspace:${path}`, name, mimeType, size: bytes.byteLength })
    }
    return c.json({ files: stored })
  })

  app.get('/chat/download', (c) => {
    const id = c.req.param('id') ?? ''
    const path = c.req.query('path') ?? ''
    if (
      !path.startsWith('/') ||
      path.includes('..') ||
      !DOWNLOAD_ROOTS.some((root) => path.startsWith(root))
    ) {
      return errorJson(c, 400, 'path must be absolute and under /configs, /workspace, /home or /plugins')
    }
    const upload = state.uploads.get(`${id}:${path}`)
    if (!upload) return errorJson(c, 404, 'file not found')
    return c.body(upload.bytes, 200, {
      'Content-Type': upload.mimeType,
      'Content-Disposition': `attachment; filename="${sanitise(upload.name)}"`,
    })
  })

  /** The pending upload `:fileId` of workspace `:id`, or the error response (400 bad id, 404 unknown/acked/foreign). */
  const pendingOf = (c: Context) => {
    const id = c.req.param('id') ?? ''
    const fileId = c.req.param('fileId') ?? ''
    if (!isUuid(fileId)) return { denied: errorJson(c, 400, 'invalid file id') }
    const record = state.pendingUploads.get(fileId)
    // Another workspace's file is indistinguishable from a missing one: the URL's :id must own it.
    if (!record || record.workspaceId !== id || record.acked_at !== null) {
      return { denied: errorJson(c, 404, 'pending upload not found') }
    }
    return { record }
  }

  app.get('/pending-uploads/:fileId/content', (c) => {
    const { denied, record } = pendingOf(c)
    if (denied) return denied
    if (record.bytes.byteLength > PER_FILE_LIMIT) {
      return errorJson(c, 413, `${record.name} exceeds per-file limit (25 MB)`)
    }
    return c.body(record.bytes, 200, {
      'Content-Type': record.mimeType,
      'Content-Length': String(record.bytes.byteLength),
      'Content-Disposition': `attachment; filename="${sanitise(record.name)}"`,
    })
  })

  app.post('/pending-uploads/:fileId/ack', (c) => {
    const { denied, record } = pendingOf(c)
    if (denied) return denied
    record.acked_at = state.now()
    // The bytes are released at once; the record stays so a repeated fetch or ack answers 404.
    record.bytes = new Uint8Array(0)
    return c.json({ acked: true, file_id: record.id })
  })

  return app
}
