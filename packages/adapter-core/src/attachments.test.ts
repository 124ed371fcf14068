import { mkdir, mkdtemp, realpath, symlink, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import type { Message } from './a2a/v03.js'
import { attachedFiles, attachmentManifest, resolveAttachmentUri } from './attachments.js'

let ws: string
let outside: string
beforeAll(async () => {
  ws = await realpath(await mkdtemp(join(tmpdir(), 'attach-ws-')))
  outside = await realpath(await mkdtemp(join(tmpdir(), 'attach-out-')))
  await mkdir(join(ws, '.molecule', 'chat-uploads'), { recursive: true })
  await writeFile(join(ws, '.molecule', 'chat-uploads', 'report.pdf'), 'pdf')
  await writeFile(join(outside, 'secret.txt'), 'no')
  await symlink(join(outside, 'secret.txt'), join(ws, 'link.txt'))
})

describe('resolveAttachmentUri', () => {
  it.each([
    'workspace:/workspace/.molecule/chat-uploads/report.pdf',
    'file:///workspace/.molecule/chat-uploads/report.pdf',
    '/workspace/.molecule/chat-uploads/report.pdf',
  ])('maps %s into the workspace directory', async (uri) => {
    expect(await resolveAttachmentUri(uri, ws)).toBe(join(ws, '.molecule', 'chat-uploads', 'report.pdf'))
  })

  it.each([
    'workspace:/workspace/../etc/passwd',
    '/etc/passwd',
    'https://example.com/x.pdf',
    'workspace:/workspace/link.txt',
    '/workspace/missing.txt',
  ])('refuses %s (outside, escaping, remote, symlinked out or missing)', async (uri) => {
    expect(await resolveAttachmentUri(uri, ws)).toBeUndefined()
  })
})

describe('attachedFiles + attachmentManifest', () => {
  it('lists resolvable file parts with name and type, skipping the rest', async () => {
    const message: Message = {
      kind: 'message',
      messageId: 'm',
      role: 'user',
      parts: [
        { kind: 'text', text: 'look' },
        {
          kind: 'file',
          file: {
            uri: 'workspace:/workspace/.molecule/chat-uploads/report.pdf',
            name: 'report.pdf',
            mimeType: 'application/pdf',
          },
        },
        { kind: 'file', file: { uri: '/workspace/.molecule/chat-uploads/report.pdf' } },
        { kind: 'file', file: { uri: '/etc/passwd', name: 'passwd' } },
        { kind: 'file', file: { bytes: 'aGk=', name: 'inline.txt' } },
      ],
    }
    const files = await attachedFiles(message, ws)
    const path = join(ws, '.molecule', 'chat-uploads', 'report.pdf')
    expect(files).toEqual([
      { name: 'report.pdf', mimeType: 'application/pdf', path },
      { name: 'report.pdf', mimeType: '', path },
    ])
    expect(attachmentManifest(files)).toBe(
      `\n\nAttached files:\n- report.pdf (application/pdf) at ${path}\n- report.pdf (unknown type) at ${path}`,
    )
    expect(attachmentManifest([])).toBe('')
  })
})
