import { randomUUID } from 'node:crypto'
import { type RunningDevPlatform, startDevPlatform } from '@molecule/dev-platform'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { PlatformClient } from './client.js'
import { PlatformError } from './errors.js'
import { type PlatformStreamEvent, parseEventFrame, readEventStream } from './event-stream.js'

function streamOf(...chunks: string[]): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder()
  return new ReadableStream({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(encoder.encode(chunk))
      controller.close()
    },
  })
}

async function collect(stream: ReadableStream<Uint8Array>): Promise<PlatformStreamEvent[]> {
  const out: PlatformStreamEvent[] = []
  for await (const event of readEventStream(stream)) out.push(event)
  return out
}

describe('parseEventFrame', () => {
  it('reads the SSE shape and the WebSocket envelope alike', () => {
    expect(parseEventFrame('{"type":"APPROVAL_APPROVED","timestamp":5,"data":{"approval_id":"a"}}')).toEqual({
      type: 'APPROVAL_APPROVED',
      timestamp: 5,
      data: { approval_id: 'a' },
    })
    expect(
      parseEventFrame(
        '{"event":"APPROVAL_DENIED","workspace_id":"w","timestamp":"t","payload":{"approval_id":"b"}}',
      ),
    ).toEqual({ type: 'APPROVAL_DENIED', timestamp: 't', data: { approval_id: 'b' } })
    // The legacy top-level shape: the fields beside `event` are the payload.
    expect(parseEventFrame('{"event":"APPROVAL_DECIDED","approval_id":"c","status":"approved"}')).toEqual({
      type: 'APPROVAL_DECIDED',
      data: { approval_id: 'c', status: 'approved' },
    })
    expect(parseEventFrame('not json')).toBeUndefined()
    expect(parseEventFrame('[1]')).toBeUndefined()
    expect(parseEventFrame('{"data":{}}')).toBeUndefined()
  })
})

describe('readEventStream', () => {
  it('joins frames split across chunks, skips comments and bad frames, accepts CRLF', async () => {
    const events = await collect(
      streamOf(
        ': ping\n\n',
        'data: {"type":"A","data":{"n":1}}\n',
        '\ndata: nope\n\n',
        'data: {"type":"B",',
        '"data":{}}\r\n\r\n',
      ),
    )
    expect(events.map((e) => e.type)).toEqual(['A', 'B'])
    expect(events[0]?.data).toEqual({ n: 1 })
  })
})

describe('PlatformClient.streamEvents against the dev platform', () => {
  let platform: RunningDevPlatform
  beforeAll(async () => {
    platform = await startDevPlatform({ logLevel: 'silent' })
  })
  afterAll(async () => platform.close())

  it('delivers the workspace’s approval events as they happen, and stops on abort', async () => {
    const { id, token } = await platform.createWorkspace({ name: 'Streamer', mint_token: true })
    const client = new PlatformClient({ platformUrl: platform.url, workspaceId: id, token: token as string })
    const abort = new AbortController()
    const events = await client.streamEvents({ signal: abort.signal })
    const created = await client.requestApproval({ action: 'deploy', reason: 'release' })
    const seen: string[] = []
    const decide = fetch(`${platform.url}/workspaces/${id}/approvals/${created.approval_id}/decide`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ decision: 'denied', decided_by: 'carol' }),
    })
    for await (const event of events) {
      seen.push(event.type)
      if (event.type === 'APPROVAL_DENIED') {
        expect(event.data).toEqual({
          approval_id: created.approval_id,
          decision: 'denied',
          decided_by: 'carol',
        })
        abort.abort()
      }
    }
    await decide
    // Frames already read (the compatibility APPROVAL_DECIDED) may still arrive; nothing after the abort is read.
    expect(seen.slice(0, 2)).toEqual(['APPROVAL_REQUESTED', 'APPROVAL_DENIED'])
  })

  it('opening it without a valid token is a PlatformError (401)', async () => {
    const { id } = await platform.createWorkspace({ name: 'Locked', mint_token: true })
    const client = new PlatformClient({ platformUrl: platform.url, workspaceId: id, token: randomUUID() })
    const failure = await client.streamEvents({ signal: new AbortController().signal }).catch((e) => e)
    expect(failure).toBeInstanceOf(PlatformError)
    expect(failure).toMatchObject({ code: 'PLATFORM_UNAUTHORIZED', status: 401 })
  })
})
