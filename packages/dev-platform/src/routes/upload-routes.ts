import { randomBytes } from 'node:crypto'
import { extname } from 'node:path'
import { errorJson, gateResponse, type RouteInstaller } from './route-context.js'

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

/**
 * U1: chat uploads. Upstream copies bytes into the workspace's Docker container (503 for external
 * workspaces); the dev platform keeps them in memory for every workspace and serves them back.
 */
export const installUploadRoutes: RouteInstaller = (app, { state, gates }) => {
  app.post('/workspaces/:id/chat/uploads', async (c) => {
    const id = c.req.param('id')
    const denied = gateResponse(c, gates.workspace(c, id))
    if (denied) return denied
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
    const stored = []
    for (const file of files) {
      const name = file.name || 'file'
      const path = `${UPLOAD_DIR}/${randomBytes(16).toString('hex')}-${sanitise(name)}`
      // Browsers and FormData label unknown parts octet-stream; the extension is more telling then.
      const declared = file.type && file.type !== 'application/octet-stream' ? file.type : undefined
      const mimeType = declared ?? MIME_BY_EXT[extname(name).toLowerCase()] ?? 'application/octet-stream'
      const bytes = new Uint8Array(await file.arrayBuffer())
      state.uploads.set(`${id}:${path}`, { workspaceId: id, path, name, mimeType, bytes })
      stored.push({ uri: `workspace:${path}`, name, mimeType, size: bytes.byteLength })
    }
    return c.json({ files: stored })
  })

  app.get('/workspaces/:id/chat/download', (c) => {
    const id = c.req.param('id')
    const denied = gateResponse(c, gates.workspace(c, id))
    if (denied) return denied
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
}
