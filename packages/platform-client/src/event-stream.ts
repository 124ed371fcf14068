/**
 * One platform event as a stream delivers it. The SSE stream sends `{type, timestamp, data}`; the WebSocket
 * envelope is `{event, workspace_id, timestamp, payload}`; both read as `{ type, data }`, `data` being the payload.
 */
export interface PlatformStreamEvent {
  type: string
  /** Unix milliseconds (SSE) or the RFC 3339 text (WebSocket envelope), as sent. */
  timestamp?: number | string
  /** The event's payload; for an envelope without `payload`, its other top-level fields. */
  data: Record<string, unknown>
}

/** Longest SSE frame kept in memory: a larger one is dropped rather than buffered without bound. */
const MAX_FRAME_CHARS = 1024 * 1024

/** Reads one frame's JSON in either shape; anything else (comments, pings, bad JSON) is `undefined`. */
export function parseEventFrame(json: string): PlatformStreamEvent | undefined {
  let raw: unknown
  try {
    raw = JSON.parse(json)
  } catch {
    return undefined
  }
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return undefined
  const frame = raw as Record<string, unknown>
  const type = typeof frame.type === 'string' ? frame.type : frame.event
  if (typeof type !== 'string' || type === '') return undefined
  const body = frame.type === type ? frame.data : frame.payload
  let data: Record<string, unknown>
  if (body !== null && typeof body === 'object' && !Array.isArray(body)) {
    data = body as Record<string, unknown>
  } else {
    const { type: _t, event: _e, timestamp: _ts, data: _d, payload: _p, ...rest } = frame
    data = rest
  }
  const out: PlatformStreamEvent = { type, data }
  if (typeof frame.timestamp === 'number' || typeof frame.timestamp === 'string')
    out.timestamp = frame.timestamp
  return out
}

/**
 * The events of a `text/event-stream` body, in order: `data:` lines of a frame are joined, comments (`: ping`) and
 * frames that are not an event are skipped. Ends when the body ends or `signal` aborts (quietly); leaving the
 * iteration early cancels the body.
 */
export async function* readEventStream(
  body: ReadableStream<Uint8Array>,
  signal?: AbortSignal,
): AsyncGenerator<PlatformStreamEvent, void, undefined> {
  const reader = body.getReader()
  const decoder = new TextDecoder()
  let buffer = ''
  try {
    for (;;) {
      let chunk: Awaited<ReturnType<typeof reader.read>>
      try {
        chunk = await reader.read()
      } catch (err) {
        if (signal?.aborted) return
        throw err
      }
      const { value, done } = chunk
      if (done) return
      buffer += decoder.decode(value, { stream: true }).replace(/\r\n?/g, '\n')
      let end = buffer.indexOf('\n\n')
      while (end >= 0) {
        const event = eventOf(buffer.slice(0, end))
        buffer = buffer.slice(end + 2)
        if (event) yield event
        end = buffer.indexOf('\n\n')
      }
      if (buffer.length > MAX_FRAME_CHARS) buffer = ''
    }
  } finally {
    await reader.cancel().catch(() => {})
  }
}

function eventOf(frame: string): PlatformStreamEvent | undefined {
  const data: string[] = []
  for (const line of frame.split('\n')) {
    if (line.startsWith('data:')) data.push(line.slice(line.startsWith('data: ') ? 6 : 5))
  }
  return data.length === 0 ? undefined : parseEventFrame(data.join('\n'))
}
