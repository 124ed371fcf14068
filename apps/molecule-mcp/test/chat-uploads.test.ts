import { randomUUID } from 'node:crypto'
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import type { RunningDevPlatform } from '@molecule/dev-platform'
import { describe, expect, it } from 'vitest'
import {
  externalWorkspace,
  nextMessage,
  singleEnv,
  startBridge,
  tempDir,
  until,
  useDevPlatform,
} from './harness.js'

const ADMIN = 'e2e-admin-token'
let platform: RunningDevPlatform

useDevPlatform(
  (started) => {
    platform = started
  },
  { adminToken: ADMIN },
)

/** The canvas user: uploads with the operator credential, then chats without X-Workspace-ID. */
async function userUpload(workspaceId: string, name: string, data: Uint8Array<ArrayBuffer>, type: string) {
  const form = new FormData()
  form.append('files', new Blob([data], { type }), name)
  const res = await fetch(`${platform.url}/workspaces/${workspaceId}/chat/uploads`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${ADMIN}` },
    body: form,
  })
  expect(res.status).toBe(200)
  const file = ((await res.json()) as { files: Array<{ uri: string; name: string; mimeType: string }> })
    .files[0]
  if (!file) throw new Error('no file in the upload answer')
  return file
}

async function userSays(workspaceId: string, parts: unknown[]) {
  const res = await fetch(`${platform.url}/workspaces/${workspaceId}/a2a`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({
      jsonrpc: '2.0',
      id: randomUUID(),
      method: 'message/send',
      params: { message: { role: 'user', messageId: randomUUID(), parts } },
    }),
  })
  expect(await res.json()).toMatchObject({ status: 'queued', delivery_mode: 'poll' })
}

describe('poll-mode chat uploads end to end (real MCP client, built bundle)', () => {
  it('the agent sees the upload and the follow-up message with the local 0600 file path; redelivered after a crash', async () => {
    const me = await externalWorkspace(platform, 'Uploads')
    const configs = tempDir('mcp-uploads-')
    const env = singleEnv(platform.url, configs, me)
    const first = await startBridge(env)
    await until('registered', () => platform.state.get(me.id)?.delivery_mode === 'poll')

    const bytes = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 1, 2, 3])
    const file = await userUpload(me.id, '../screen shot.png', bytes, 'image/png')
    const fileId = file.uri.split('/').at(-1) ?? ''
    expect(file.uri).toBe(`platform-pending:${me.id}/${fileId}`)
    await userSays(me.id, [
      { kind: 'text', text: `what is in ${file.uri}?` },
      { kind: 'file', file: { uri: file.uri, name: file.name, mimeType: file.mimeType } },
    ])

    const local = join(configs, 'chat-uploads', `${fileId.replaceAll('-', '')}-screen_shot.png`)
    const upload = await nextMessage(first)
    expect(upload).toMatchObject({
      kind: 'canvas_user',
      method: 'chat_upload_receive',
      text: `The user uploaded a file: ../screen shot.png (image/png, 8 bytes) at ${local}`,
      attachments: [{ kind: 'image', uri: local, name: '../screen shot.png', mime_type: 'image/png' }],
    })
    expect(new Uint8Array(readFileSync(local))).toEqual(bytes)
    expect(statSync(local).mode & 0o777).toBe(0o600)
    // Acknowledged on the platform only after the write: the bytes are released there.
    expect(platform.state.pendingUploads.get(fileId)?.acked_at).not.toBeNull()

    // Crash before popping: the next bridge delivers the upload again with the same local file.
    first.kill()
    await first.close().catch(() => {})
    const second = await startBridge(env)
    const again = await nextMessage(second)
    expect(again).toMatchObject({
      activity_id: upload.activity_id,
      text: upload.text,
      attachments: upload.attachments,
    })
    expect(readdirSync(join(configs, 'chat-uploads'))).toEqual([
      `${fileId.replaceAll('-', '')}-screen_shot.png`,
    ])
    expect(
      JSON.parse((await second.call('inbox_pop', { activity_id: again.activity_id })).text),
    ).toMatchObject({
      removed: true,
    })

    const chat = await nextMessage(second)
    expect(chat).toMatchObject({
      kind: 'canvas_user',
      method: 'message/send',
      text: `what is in ${local}?`,
      attachments: [{ kind: 'image', uri: local, name: '../screen shot.png', mime_type: 'image/png' }],
    })
    expect(JSON.stringify(await second.call('inbox_peek'))).not.toContain('platform-pending:')
    await second.close()
  })
})
