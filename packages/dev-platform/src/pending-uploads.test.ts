import { afterEach, describe, expect, it } from 'vitest'
import { startTestPlatform, type TestPlatform } from './test-helpers.js'

let p: TestPlatform
afterEach(async () => p?.close())

const ADMIN = 'admin-secret-for-tests'

async function upload(
  platform: TestPlatform,
  workspaceId: string,
  files: Array<{ bytes: string | Uint8Array<ArrayBuffer>; name: string; type?: string }>,
  token?: string,
) {
  const form = new FormData()
  for (const f of files) form.append('files', new Blob([f.bytes], f.type ? { type: f.type } : {}), f.name)
  const res = await fetch(`${platform.url}/workspaces/${workspaceId}/chat/uploads`, {
    method: 'POST',
    headers: token ? { Authorization: `Bearer ${token}` } : {},
    body: form,
  })
  return {
    status: res.status,
    body: (await res.json()) as {
      files: Array<{ uri: string; name: string; mimeType: string; size: number }>
      error?: string
    },
  }
}

describe('poll-mode chat uploads (pending uploads)', () => {
  it('a user upload becomes a pending file and a chat_upload_receive row; content, ack, then 404', async () => {
    p = await startTestPlatform({ adminToken: ADMIN })
    const ws = await p.register(undefined, { url: '', delivery_mode: 'poll' })
    const res = await upload(
      p,
      ws.id,
      [
        { bytes: 'alpha bytes', name: 'alpha notes.txt', type: 'text/plain' },
        { bytes: new Uint8Array([1, 2, 3, 4]), name: 'pic.png' },
      ],
      ADMIN,
    )
    expect(res.status).toBe(200)
    expect(res.body.files).toHaveLength(2)
    const [alpha, pic] = res.body.files
    const pendingRe = new RegExp(
      `^platform-pending:${ws.id}/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$`,
    )
    expect(alpha?.uri).toMatch(pendingRe)
    expect(alpha).toMatchObject({ name: 'alpha notes.txt', mimeType: 'text/plain', size: 11 })
    expect(pic).toMatchObject({ name: 'pic.png', mimeType: 'image/png', size: 4 })
    const alphaId = alpha?.uri.match(pendingRe)?.[1] ?? ''
    const picId = pic?.uri.match(pendingRe)?.[1] ?? ''

    const rows = await p.call('GET', `/workspaces/${ws.id}/activity?type=a2a_receive`, { token: ws.token })
    expect(rows.status).toBe(200)
    const uploads = (rows.body as Array<Record<string, unknown>>).filter(
      (r) => r.method === 'chat_upload_receive',
    )
    expect(uploads).toHaveLength(2)
    // Newest first: the png row, then the text row.
    expect(uploads[1]).toMatchObject({
      workspace_id: ws.id,
      activity_type: 'a2a_receive',
      source_id: null,
      target_id: ws.id,
      method: 'chat_upload_receive',
      summary: 'chat_upload_receive: alpha notes.txt',
      status: 'ok',
      request_body: {
        file_id: alphaId,
        uri: alpha?.uri,
        name: 'alpha notes.txt',
        mimeType: 'text/plain',
        size: 11,
      },
    })
    expect(uploads[0]).toMatchObject({ request_body: { file_id: picId, mimeType: 'image/png', size: 4 } })

    const content = await fetch(`${p.url}/workspaces/${ws.id}/pending-uploads/${alphaId}/content`, {
      headers: { Authorization: `Bearer ${ws.token}` },
    })
    expect(content.status).toBe(200)
    expect(content.headers.get('content-type')).toBe('text/plain')
    expect(content.headers.get('content-length')).toBe('11')
    expect(content.headers.get('content-disposition')).toBe('attachment; filename="alpha_notes.txt"')
    expect(await content.text()).toBe('alpha bytes')
    // Fetching again before the ack gives the same bytes (at-least-once on the workspace side).
    const again = await fetch(`${p.url}/workspaces/${ws.id}/pending-uploads/${alphaId}/content`, {
      headers: { Authorization: `Bearer ${ws.token}` },
    })
    expect(await again.text()).toBe('alpha bytes')

    const ack = await p.call('POST', `/workspaces/${ws.id}/pending-uploads/${alphaId}/ack`, {
      token: ws.token,
    })
    expect(ack).toMatchObject({ status: 200, body: { acked: true, file_id: alphaId } })
    expect(p.state.pendingUploads.get(alphaId)?.bytes.byteLength).toBe(0)
    const gone = await p.call('GET', `/workspaces/${ws.id}/pending-uploads/${alphaId}/content`, {
      token: ws.token,
    })
    expect(gone).toMatchObject({ status: 404, body: { error: 'pending upload not found' } })
    const reAck = await p.call('POST', `/workspaces/${ws.id}/pending-uploads/${alphaId}/ack`, {
      token: ws.token,
    })
    expect(reAck.status).toBe(404)
    // The other file is untouched by the first ack.
    const png = await fetch(`${p.url}/workspaces/${ws.id}/pending-uploads/${picId}/content`, {
      headers: { Authorization: `Bearer ${ws.token}` },
    })
    expect(new Uint8Array(await png.arrayBuffer())).toEqual(new Uint8Array([1, 2, 3, 4]))
  })

  it('auth per WorkspaceAuth: no bearer 401, another workspace 401 on the URL and 404 on its own URL; bad id 400', async () => {
    p = await startTestPlatform({ adminToken: ADMIN })
    const a = await p.register(undefined, { url: '', delivery_mode: 'poll' })
    const b = await p.register(undefined, { url: '', delivery_mode: 'poll' })
    const res = await upload(p, a.id, [{ bytes: 'secret', name: 's.txt' }], ADMIN)
    const fileId = res.body.files[0]?.uri.split('/').at(-1) ?? ''
    const path = `/workspaces/${a.id}/pending-uploads/${fileId}`
    expect(await p.call('GET', `${path}/content`)).toMatchObject({
      status: 401,
      body: { error: 'missing workspace auth token' },
    })
    expect(await p.call('GET', `${path}/content`, { token: b.token })).toMatchObject({
      status: 401,
      body: { error: 'invalid workspace auth token' },
    })
    expect(await p.call('POST', `${path}/ack`, { token: b.token })).toMatchObject({ status: 401 })
    const foreign = await p.call('GET', `/workspaces/${b.id}/pending-uploads/${fileId}/content`, {
      token: b.token,
    })
    expect(foreign).toMatchObject({ status: 404, body: { error: 'pending upload not found' } })
    expect(
      (await p.call('POST', `/workspaces/${b.id}/pending-uploads/${fileId}/ack`, { token: b.token })).status,
    ).toBe(404)
    const bad = await p.call('GET', `/workspaces/${a.id}/pending-uploads/not-a-uuid/content`, {
      token: a.token,
    })
    expect(bad).toMatchObject({ status: 400, body: { error: 'invalid file id' } })
    // The admin token passes WorkspaceAuth like upstream; the file is still there after the refusals.
    const admin = await fetch(`${p.url}${path}/content`, { headers: { Authorization: `Bearer ${ADMIN}` } })
    expect(await admin.text()).toBe('secret')
  })

  it("the workspace's own uploads and uploads to push workspaces keep workspace: staging (no inbox row)", async () => {
    p = await startTestPlatform({ adminToken: ADMIN })
    const poll = await p.register(undefined, { url: '', delivery_mode: 'poll' })
    const own = await upload(p, poll.id, [{ bytes: 'out', name: 'report.txt' }], poll.token)
    expect(own.body.files[0]?.uri).toMatch(
      /^workspace:\/workspace\/\.molecule\/chat-uploads\/[0-9a-f]{32}-report\.txt$/,
    )
    const push = await p.register()
    const user = await upload(p, push.id, [{ bytes: 'in', name: 'in.txt' }], ADMIN)
    expect(user.body.files[0]?.uri).toMatch(/^workspace:/)
    expect(p.state.pendingUploads.size).toBe(0)
    expect(p.state.activity.rows.filter((r) => r.method === 'chat_upload_receive')).toHaveLength(0)
  })

  it('lenient mode: a credential-less (canvas) upload takes the poll path; content is capped at 25 MB', async () => {
    p = await startTestPlatform({ lenient: true })
    const ws = await p.register(undefined, { url: '', delivery_mode: 'poll' })
    const res = await upload(p, ws.id, [{ bytes: 'hi', name: 'hi.txt' }])
    expect(res.body.files[0]?.uri).toMatch(new RegExp(`^platform-pending:${ws.id}/`))
    const fileId = res.body.files[0]?.uri.split('/').at(-1) ?? ''
    // A stored file over the cap (only reachable by editing state) is refused rather than streamed.
    const record = p.state.pendingUploads.get(fileId)
    if (!record) throw new Error('pending upload missing')
    record.bytes = new Uint8Array(25 * 1024 * 1024 + 1)
    const big = await p.call('GET', `/workspaces/${ws.id}/pending-uploads/${fileId}/content`, {
      token: ws.token,
    })
    expect(big).toMatchObject({ status: 413, body: { error: 'hi.txt exceeds per-file limit (25 MB)' } })
  })
})
