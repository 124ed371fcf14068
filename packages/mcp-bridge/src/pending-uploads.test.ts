import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { silentLogger } from '@molecule/core'
import { type RunningDevPlatform, startDevPlatform } from '@molecule/dev-platform'
import { type ActivityRow, PlatformClient, parseInboxRow } from '@molecule/platform-client'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { PendingUploadResolver, rewritePendingUris, sanitizeUploadName } from './pending-uploads.js'

const ADMIN = 'bridge-test-admin'
let platform: RunningDevPlatform
let wsId: string
let client: PlatformClient
let dir: string
const logger = silentLogger

beforeAll(async () => {
  platform = await startDevPlatform({ logLevel: 'silent', adminToken: ADMIN })
})
afterAll(async () => {
  await platform?.close()
})
beforeEach(async () => {
  const ws = await platform.createWorkspace({ name: 'bridge', external: true, delivery_mode: 'poll' })
  wsId = ws.id
  client = new PlatformClient({ platformUrl: platform.url, workspaceId: wsId, token: ws.token ?? '' })
  dir = join(mkdtempSync(join(tmpdir(), 'molecule-uploads-')), 'chat-uploads')
})

async function userUpload(name: string, data: string): Promise<{ uri: string; fileId: string }> {
  const form = new FormData()
  form.append('files', new Blob([data], { type: 'text/plain' }), name)
  const res = await fetch(`${platform.url}/workspaces/${wsId}/chat/uploads`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${ADMIN}` },
    body: form,
  })
  const uri = ((await res.json()) as { files: Array<{ uri: string }> }).files[0]?.uri ?? ''
  return { uri, fileId: uri.split('/').at(-1) ?? '' }
}

async function uploadRow(fileId: string): Promise<ActivityRow> {
  const rows = await client.listActivity({ type: 'a2a_receive' })
  const row = rows.find((r) => (r.request_body as { file_id?: string } | undefined)?.file_id === fileId)
  if (!row) throw new Error('no upload row')
  return row
}

describe('PendingUploadResolver', () => {
  it('fetches, saves 0600 under a 0700 dir, acks after the write, and rewrites the URI everywhere', async () => {
    const { uri, fileId } = await userUpload('Q3 report.txt', 'quarterly numbers')
    const resolver = new PendingUploadResolver({ client, dir, logger })
    const prepared = await resolver.prepareRow(await uploadRow(fileId))
    const saved = join(dir, `${fileId.replaceAll('-', '')}-Q3_report.txt`)
    expect(readFileSync(saved, 'utf8')).toBe('quarterly numbers')
    expect(statSync(saved).mode & 0o777).toBe(0o600)
    expect(statSync(dir).mode & 0o777).toBe(0o700)
    expect(readdirSync(dir)).toEqual([`${fileId.replaceAll('-', '')}-Q3_report.txt`])
    expect(platform.state.pendingUploads.get(fileId)?.acked_at).not.toBeNull()
    expect(resolver.lookup(uri)).toBe(saved)

    const message = parseInboxRow(prepared, wsId)
    expect(message?.text).toBe(`The user uploaded a file: Q3 report.txt (text/plain, 17 bytes) at ${saved}`)
    expect(message?.attachments).toEqual([
      { kind: 'file', uri: saved, name: 'Q3 report.txt', mime_type: 'text/plain' },
    ])
    expect(JSON.stringify(prepared)).not.toContain('platform-pending:')

    // A later chat message that refers to the upload sees the local path too.
    const chat = await resolver.prepareRow({
      id: 'later',
      method: 'message/send',
      request_body: {
        params: {
          message: {
            parts: [
              { kind: 'text', text: `look at ${uri} please` },
              { kind: 'file', file: { uri, name: 'Q3 report.txt' } },
            ],
          },
        },
      },
    } as ActivityRow)
    const later = parseInboxRow(chat, wsId)
    expect(later?.text).toBe(`look at ${saved} please`)
    expect(later?.attachments?.[0]?.uri).toBe(saved)
  })

  it('a redelivered row after a restart reuses the saved file (the platform already forgot it) and acks again', async () => {
    const { uri, fileId } = await userUpload('notes.txt', 'once')
    const row = await uploadRow(fileId)
    await new PendingUploadResolver({ client, dir, logger }).prepareRow(row)
    expect(await client.fetchPendingUpload(fileId).catch((e: { status?: number }) => e.status)).toBe(404)
    const second = new PendingUploadResolver({ client, dir, logger })
    const prepared = await second.prepareRow(row)
    const saved = join(dir, `${fileId.replaceAll('-', '')}-notes.txt`)
    expect(second.lookup(uri)).toBe(saved)
    expect(parseInboxRow(prepared, wsId)?.attachments?.[0]?.uri).toBe(saved)
    expect(readdirSync(dir)).toHaveLength(1)
  })

  it('names are sanitised: no path traversal, no hidden files, bounded length', async () => {
    expect(sanitizeUploadName('../../etc/passwd')).toBe('passwd')
    expect(sanitizeUploadName('..\\..\\boot.ini')).toBe('boot.ini')
    expect(sanitizeUploadName('..')).toBe('file')
    expect(sanitizeUploadName('.bashrc')).toBe('bashrc')
    expect(sanitizeUploadName('a b$c.txt')).toBe('a_b_c.txt')
    expect(sanitizeUploadName(`${'x'.repeat(200)}.tar.gz`)).toBe(`${'x'.repeat(97)}.gz`)
    const { fileId } = await userUpload('../../../../escape.txt', 'x')
    await new PendingUploadResolver({ client, dir, logger }).prepareRow(await uploadRow(fileId))
    expect(readdirSync(dir)).toEqual([`${fileId.replaceAll('-', '')}-escape.txt`])
  })

  it('a file over the size cap is neither saved nor acknowledged; the row is delivered unresolved', async () => {
    const { uri, fileId } = await userUpload('big.txt', 'x'.repeat(100))
    const resolver = new PendingUploadResolver({ client, dir, logger, maxBytes: 10 })
    const prepared = await resolver.prepareRow(await uploadRow(fileId))
    expect(parseInboxRow(prepared, wsId)?.attachments?.[0]?.uri).toBe(uri)
    expect(platform.state.pendingUploads.get(fileId)?.acked_at).toBeNull()
    expect(resolver.lookup(uri)).toBeUndefined()
  })

  it('transient failures throw (the poller retries the row) until maxAttempts, then the row goes through unresolved', async () => {
    const { uri, fileId } = await userUpload('later.txt', 'soon')
    const row = await uploadRow(fileId)
    const down = new PlatformClient({
      platformUrl: 'http://127.0.0.1:9',
      workspaceId: wsId,
      token: 't',
      retry: { attempts: 1, baseMs: 1, maxMs: 1 },
    })
    const resolver = new PendingUploadResolver({ client: down, dir, logger, maxAttempts: 2 })
    await expect(resolver.prepareRow(row)).rejects.toMatchObject({ code: 'PLATFORM_UNREACHABLE' })
    const prepared = await resolver.prepareRow(row)
    expect(parseInboxRow(prepared, wsId)?.attachments?.[0]?.uri).toBe(uri)
    expect(platform.state.pendingUploads.get(fileId)?.acked_at).toBeNull()
  })

  it('rewritePendingUris replaces only known URIs and copies the value', () => {
    const input = { a: ['platform-pending:w1/f1 and platform-pending:w2/f2'], n: 3, z: null }
    const out = rewritePendingUris(input, (u) => (u === 'platform-pending:w1/f1' ? '/tmp/f1' : undefined))
    expect(out).toEqual({ a: ['/tmp/f1 and platform-pending:w2/f2'], n: 3, z: null })
    expect(input.a[0]).toBe('platform-pending:w1/f1 and platform-pending:w2/f2')
  })
})
