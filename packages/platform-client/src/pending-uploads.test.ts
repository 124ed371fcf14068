import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { type RunningDevPlatform, startDevPlatform } from '@molecule/dev-platform'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startScriptedServer } from '../test/support/scripted-server.js'
import { PENDING_UPLOAD_MAX_BYTES, PlatformClient } from './client.js'
import { PlatformError } from './errors.js'

// Contract tests of the poll-mode upload methods against the real dev platform.

const ADMIN = 'contract-admin-token'
let platform: RunningDevPlatform
let pollId: string
let poll: PlatformClient
let otherId: string
let other: PlatformClient

async function userUpload(
  workspaceId: string,
  name: string,
  data: string | Uint8Array<ArrayBuffer>,
  type?: string,
) {
  const form = new FormData()
  form.append('files', new Blob([data], type ? { type } : {}), name)
  const res = await fetch(`${platform.url}/workspaces/${workspaceId}/chat/uploads`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${ADMIN}` },
    body: form,
  })
  const body = (await res.json()) as { files: Array<{ uri: string }> }
  const uri = body.files[0]?.uri ?? ''
  return { uri, fileId: uri.split('/').at(-1) ?? '' }
}

beforeAll(async () => {
  platform = await startDevPlatform({ logLevel: 'silent', adminToken: ADMIN })
  const a = await platform.createWorkspace({ name: 'poll-a', external: true, delivery_mode: 'poll' })
  const b = await platform.createWorkspace({ name: 'poll-b', external: true, delivery_mode: 'poll' })
  pollId = a.id
  otherId = b.id
  poll = new PlatformClient({ platformUrl: platform.url, workspaceId: pollId, token: a.token ?? '' })
  other = new PlatformClient({ platformUrl: platform.url, workspaceId: otherId, token: b.token ?? '' })
})

afterAll(async () => {
  await platform?.close()
})

describe('pending uploads (poll-mode chat uploads)', () => {
  it('fetchPendingUpload returns the bytes, type and filename; ackPendingUpload releases them (then 404)', async () => {
    const bytes = new Uint8Array([0, 1, 2, 250, 255])
    const { uri, fileId } = await userUpload(pollId, 'scan 1.png', bytes, 'image/png')
    expect(uri).toBe(`platform-pending:${pollId}/${fileId}`)
    const row = (await poll.listActivity({ type: 'a2a_receive' })).find(
      (r) => r.method === 'chat_upload_receive',
    )
    expect(row?.request_body).toMatchObject({
      file_id: fileId,
      uri,
      name: 'scan 1.png',
      mimeType: 'image/png',
      size: 5,
    })

    const content = await poll.fetchPendingUpload(fileId)
    expect(content).toEqual({ bytes, mimeType: 'image/png', filename: 'scan_1.png' })
    expect(await poll.ackPendingUpload(fileId)).toMatchObject({ acked: true, file_id: fileId })

    const gone = await poll.fetchPendingUpload(fileId).catch((e: unknown) => e)
    expect(gone).toBeInstanceOf(PlatformError)
    expect(gone).toMatchObject({
      code: 'PLATFORM_HTTP',
      status: 404,
      endpoint: `GET /workspaces/${pollId}/pending-uploads/${fileId}/content`,
      serverError: 'pending upload not found',
    })
    await expect(poll.ackPendingUpload(fileId)).rejects.toMatchObject({ status: 404 })
  })

  it('another workspace cannot read or acknowledge the file through its own id (404); bad ids are 400', async () => {
    const { fileId } = await userUpload(pollId, 'secret.txt', 'top secret', 'text/plain')
    await expect(other.fetchPendingUpload(fileId)).rejects.toMatchObject({ status: 404 })
    await expect(other.ackPendingUpload(fileId)).rejects.toMatchObject({ status: 404 })
    await expect(poll.fetchPendingUpload('not-a-uuid')).rejects.toMatchObject({
      status: 400,
      serverError: 'invalid file id',
    })
    // Still there for its owner.
    expect(new TextDecoder().decode((await poll.fetchPendingUpload(fileId)).bytes)).toBe('top secret')
  })

  it('a body over maxBytes is refused without being read in full', async () => {
    const { fileId } = await userUpload(pollId, 'big.bin', new Uint8Array(64))
    const refused = await poll.fetchPendingUpload(fileId, { maxBytes: 63 }).catch((e: unknown) => e)
    expect(refused).toMatchObject({ code: 'PLATFORM_BAD_RESPONSE' })
    expect((refused as Error).message).toContain('64 bytes, more than the 63-byte limit')
    expect((await poll.fetchPendingUpload(fileId, { maxBytes: 64 })).bytes.byteLength).toBe(64)
    expect(PENDING_UPLOAD_MAX_BYTES).toBe(25 * 1024 * 1024)
  })

  it('a chunked body (no Content-Length) that grows past the cap is cancelled', async () => {
    const server = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/octet-stream' })
      res.write(new Uint8Array(40))
      setTimeout(() => res.end(new Uint8Array(40)), 20)
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    const { port } = server.address() as AddressInfo
    try {
      const client = new PlatformClient({
        platformUrl: `http://127.0.0.1:${port}`,
        workspaceId: pollId,
        token: 't',
      })
      const refused = await client
        .fetchPendingUpload('00000000-0000-4000-8000-000000000001', { maxBytes: 50 })
        .catch((e: unknown) => e)
      expect(refused).toMatchObject({ code: 'PLATFORM_BAD_RESPONSE' })
      expect((refused as Error).message).toContain('more than the 50-byte limit')
      const fits = await client.fetchPendingUpload('00000000-0000-4000-8000-000000000001', { maxBytes: 80 })
      expect(fits).toMatchObject({ mimeType: 'application/octet-stream' })
      expect(fits.bytes.byteLength).toBe(80)
      expect(fits.filename).toBeUndefined()
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()))
    }
  })

  it('the content GET is retried on 5xx; the ack is not', async () => {
    const scripted = await startScriptedServer((req, i) => {
      if (req.method === 'GET' && i === 0) return { status: 503, body: { error: 'busy' } }
      if (req.method === 'GET') return { status: 200, body: 'ok', headers: { 'content-type': 'text/plain' } }
      return { status: 503, body: { error: 'busy' } }
    })
    try {
      const client = new PlatformClient({
        platformUrl: scripted.url,
        workspaceId: pollId,
        token: 't',
        retry: { attempts: 3, baseMs: 1, maxMs: 5 },
      })
      const fileId = '00000000-0000-4000-8000-000000000002'
      expect(new TextDecoder().decode((await client.fetchPendingUpload(fileId)).bytes)).toBe('ok')
      await expect(client.ackPendingUpload(fileId)).rejects.toMatchObject({ status: 503 })
      expect(scripted.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
        `GET /workspaces/${pollId}/pending-uploads/${fileId}/content`,
        `GET /workspaces/${pollId}/pending-uploads/${fileId}/content`,
        `POST /workspaces/${pollId}/pending-uploads/${fileId}/ack`,
      ])
      expect(scripted.requests[0]?.headers.authorization).toBe('Bearer t')
    } finally {
      await scripted.close()
    }
  })
})
