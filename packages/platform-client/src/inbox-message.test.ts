import { describe, expect, it } from 'vitest'
import { extractAttachments, extractMessageText, parseInboxRow, uploadManifest } from './inbox-message.js'
import type { ActivityRow } from './schemas.js'

const SELF = '11111111-1111-4111-8111-111111111111'
const PEER = '22222222-2222-4222-8222-222222222222'

function row(extra: Partial<ActivityRow>): ActivityRow {
  return {
    id: 'a1',
    activity_type: 'a2a_receive',
    created_at: '2026-05-02T09:14:03.5Z',
    ...extra,
  } as ActivityRow
}

describe('extractMessageText', () => {
  it('reads params.message.parts with kind or type discriminators', () => {
    const body = {
      params: {
        message: {
          parts: [
            { kind: 'text', text: 'Hello ' },
            { type: 'text', text: 'world' },
          ],
        },
      },
    }
    expect(extractMessageText(body)).toBe('Hello world')
  })

  it('falls back to params.parts and then top-level parts', () => {
    expect(extractMessageText({ params: { parts: [{ type: 'text', text: 'p' }] } })).toBe('p')
    expect(extractMessageText({ parts: [{ kind: 'text', text: 't' }] })).toBe('t')
    expect(extractMessageText({ params: { message: { parts: [{ kind: 'file' }] } }, parts: [] })).toBe('')
  })

  it('accepts a JSON string body and ignores junk', () => {
    expect(extractMessageText('{"parts":[{"kind":"text","text":"s"}]}')).toBe('s')
    expect(extractMessageText('not json')).toBe('')
    expect(extractMessageText(null)).toBe('')
  })
})

describe('parseInboxRow', () => {
  it('builds a peer_agent message with the sender and method', () => {
    const msg = parseInboxRow(
      row({
        source_id: PEER,
        method: 'message/send',
        request_body: { params: { message: { parts: [{ kind: 'text', text: 'Review PR 12?' }] } } },
      }),
      SELF,
    )
    expect(msg).toEqual({
      activity_id: 'a1',
      text: 'Review PR 12?',
      kind: 'peer_agent',
      peer_id: PEER,
      method: 'message/send',
      created_at: '2026-05-02T09:14:03.5Z',
    })
  })

  it('marks a message without source as the canvas user and falls back to the summary', () => {
    const msg = parseInboxRow(row({ source_id: null, method: 'message/send', summary: 'hi there' }), SELF)
    expect(msg?.kind).toBe('canvas_user')
    expect(msg?.peer_id).toBeUndefined()
    expect(msg?.text).toBe('hi there')
    expect(parseInboxRow(row({ method: 'message/send' }), SELF)?.text).toBe('(empty A2A message)')
  })

  it('skips own notify echoes and self-echoes, keeps delegate_result rows', () => {
    expect(parseInboxRow(row({ method: 'notify', source_id: null }), SELF)).toBeNull()
    expect(parseInboxRow(row({ method: 'message/send', source_id: SELF }), SELF)).toBeNull()
    const result = parseInboxRow(
      row({
        method: 'delegate_result',
        source_id: SELF,
        response_body: { text: 'tests pass', delegation_id: 'd' },
      }),
      SELF,
    )
    expect(result).toMatchObject({ kind: 'delegation_result', text: 'tests pass' })
  })

  it('carries enrichment fields and file attachments', () => {
    const msg = parseInboxRow(
      row({
        source_id: PEER,
        peer_name: 'Backend',
        peer_role: 'engineer',
        request_body: {
          params: {
            message: {
              parts: [
                { kind: 'text', text: 'see file' },
                { kind: 'file', file: { uri: 'workspace:/a.png', name: 'a.png', mimeType: 'image/png' } },
              ],
            },
          },
        },
      }),
      SELF,
    )
    expect(msg?.peer_name).toBe('Backend')
    expect(msg?.peer_role).toBe('engineer')
    expect(msg?.attachments).toEqual([
      { kind: 'image', uri: 'workspace:/a.png', name: 'a.png', mime_type: 'image/png' },
    ])
    expect(extractAttachments({ parts: [{ type: 'file', uri: 'u', name: 'n' }] })).toEqual([
      { kind: 'file', uri: 'u', name: 'n' },
    ])
  })

  it('turns a chat_upload_receive manifest into a canvas_user message with the file as attachment', () => {
    const uri = `platform-pending:${SELF}/33333333-3333-4333-8333-333333333333`
    const msg = parseInboxRow(
      row({
        method: 'chat_upload_receive',
        summary: 'chat_upload_receive: scan.png',
        request_body: {
          file_id: '33333333-3333-4333-8333-333333333333',
          uri,
          name: 'scan.png',
          mimeType: 'image/png',
          size: 5,
        },
      }),
      SELF,
    )
    expect(msg).toEqual({
      activity_id: 'a1',
      kind: 'canvas_user',
      method: 'chat_upload_receive',
      created_at: '2026-05-02T09:14:03.5Z',
      text: `The user uploaded a file: scan.png (image/png, 5 bytes) at ${uri}`,
      attachments: [{ kind: 'image', uri, name: 'scan.png', mime_type: 'image/png' }],
    })
    // Without a URI the row is an ordinary message with the summary as text.
    const bare = parseInboxRow(
      row({ method: 'chat_upload_receive', summary: 'chat_upload_receive: x' }),
      SELF,
    )
    expect(bare).toMatchObject({ text: 'chat_upload_receive: x' })
    expect(bare?.attachments).toBeUndefined()
    expect(uploadManifest(JSON.stringify({ uri: 'u', mime_type: 'text/plain', size: 'big' }))).toEqual({
      uri: 'u',
      mimeType: 'text/plain',
    })
    expect(uploadManifest({ file_id: 'f' })).toBeUndefined()
  })
})
