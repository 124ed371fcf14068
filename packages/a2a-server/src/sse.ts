import type { StreamEvent } from '@molecule/adapter-core/a2a'
import { type RpcId, resultBody } from './jsonrpc.js'
import type { StreamListener, TaskRun } from './task-run.js'

const encoder = new TextEncoder()
const SSE_HEADERS = {
  'content-type': 'text/event-stream',
  'cache-control': 'no-cache',
  connection: 'keep-alive',
}

/** An SSE response fed by task events. */
export interface TaskStream {
  /** Frames one event as a JSON-RPC response `data:` line; ends the stream after a final status. */
  readonly listener: StreamListener
  /** Ends the stream (idempotent). */
  end(): void
  /** The run feeding the stream, so leaving it unsubscribes; ends at once when the run already finished. */
  attach(run: TaskRun): void
  /** Drops the stream before anything was sent (the task could not start). */
  abandon(): void
  readonly response: Response
}

/**
 * Opens an SSE stream answering JSON-RPC request `id`: each event becomes `data: {"jsonrpc":"2.0","id":…,
 * "result":…}` with `result` from `serialize`. It ends after the final event or when the client leaves
 * (the task itself keeps running). A comment every `keepAliveMs` (0 = never) keeps proxies from
 * closing an idle stream.
 */
export function openTaskStream(
  id: RpcId,
  keepAliveMs: number,
  serialize: (event: StreamEvent) => string,
): TaskStream {
  let controller!: ReadableStreamDefaultController<Uint8Array>
  let closed = false
  let run: TaskRun | undefined
  let keepAlive: NodeJS.Timeout | undefined
  const cleanup = () => {
    closed = true
    if (keepAlive) clearInterval(keepAlive)
    run?.unsubscribe(listener)
  }
  const end = () => {
    if (closed) return
    cleanup()
    controller.close()
  }
  const listener: StreamListener = (event: StreamEvent) => {
    if (closed) return
    const result = serialize(event)
    try {
      controller.enqueue(encoder.encode(`data: ${resultBody(id, result)}\n\n`))
    } catch {
      // The stream was torn down under us (client gone); stop feeding it.
      cleanup()
      return
    }
    if (event.kind === 'status-update' && event.final) end()
  }
  const body = new ReadableStream<Uint8Array>({
    start(c) {
      controller = c
    },
    // The client went away: stop feeding it; the task itself keeps running.
    cancel: cleanup,
  })
  if (keepAliveMs > 0) {
    keepAlive = setInterval(() => {
      if (closed) return
      try {
        controller.enqueue(encoder.encode(': keep-alive\n\n'))
      } catch {
        cleanup()
      }
    }, keepAliveMs)
    keepAlive.unref()
  }
  return {
    listener,
    end,
    attach(r: TaskRun) {
      run = r
      if (closed) r.unsubscribe(listener)
      else if (r.finished) end()
    },
    abandon() {
      cleanup()
      void body.cancel().catch(() => {})
    },
    response: new Response(body, { status: 200, headers: SSE_HEADERS }),
  }
}
