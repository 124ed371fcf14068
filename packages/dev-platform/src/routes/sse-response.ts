/**
 * A server-sent-events response. `open` starts feeding it — `write` enqueues a text frame, `hasRoom()` is false while
 * the reader is `buffer` frames behind (a slow reader then loses frames rather than growing memory) — and returns its
 * teardown, which runs when the client goes away or when `closers` ends every open stream at shutdown.
 */
export function sseResponse(
  closers: Set<() => void>,
  buffer: number,
  open: (write: (text: string) => void, hasRoom: () => boolean) => () => void,
): Response {
  const encoder = new TextEncoder()
  let cleanup = () => {}
  const stream = new ReadableStream<Uint8Array>(
    {
      start(controller) {
        const teardown = open(
          (text) => controller.enqueue(encoder.encode(text)),
          () => (controller.desiredSize ?? 1) > 0,
        )
        const close = () => {
          cleanup()
          try {
            controller.close()
          } catch {
            // already closed by the client
          }
        }
        cleanup = () => {
          teardown()
          closers.delete(close)
        }
        closers.add(close)
      },
      cancel() {
        cleanup()
      },
    },
    new CountQueuingStrategy({ highWaterMark: buffer }),
  )
  return new Response(stream, {
    headers: { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache', Connection: 'keep-alive' },
  })
}
