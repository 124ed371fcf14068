import type { ExecuteFn, Executor } from '@molecule/adapter-core'
import type { AgentCard } from '@molecule/adapter-core/a2a'
import type { Logger } from '@molecule/core'
import type { Hono } from 'hono'
import type { PushNotificationOptions } from './push-notifier.js'
import type { TaskActivity } from './task-run.js'
import type { TaskStore } from './task-store.js'
import type { TranscriptSource } from './transcript-route.js'

export interface A2AServerOptions {
  /** The agent card (v0.3 shape; `url` is where clients POST). Replace it later with `setCard`. */
  card: AgentCard
  executor: Executor | ExecuteFn
  /** Default: a bounded `InMemoryTaskStore` (10k tasks, 64 MiB, 1 h TTL for finished ones). */
  taskStore?: TaskStore
  /**
   * Where the server logs (failed handlers, store writes, push deliveries) and the parent of each
   * executor's `ctx.logger`. Default: `silentLogger` (nothing is logged).
   */
  logger?: Logger
  /** The workspace token `/transcript` callers must present; undefined/empty means 401 (fail closed). */
  transcriptToken?: () => string | undefined
  /** Serves `/transcript`; default: the "unsupported" page. */
  transcript?: TranscriptSource
  /** Largest accepted request body. Default 1 MiB. */
  bodyLimitBytes?: number
  /** Largest part of an inbound message (`text`, `file.bytes`/`file.uri`, `data` as JSON), in bytes. Default 256 KiB. */
  maxPartBytes?: number
  /** Active only when `card.capabilities.pushNotifications` is true. */
  pushNotifications?: PushNotificationOptions
  /** Messages kept per task. Default 50. */
  maxHistory?: number
  /** Interval of SSE keep-alive comments. Default 15 s; 0 disables. */
  sseKeepAliveMs?: number
  /** Answer for `agent/getAuthenticatedExtendedCard` / `GetExtendedAgentCard`; default: -32007. */
  extendedCard?: AgentCard
  /**
   * What a `message/send` / `SendMessage` that completed answers with: `'message'` (default) the agent's reply
   * Message, what the Molecule platform and its clients read; `'task'` the Task (status, artifacts, history), what
   * generic A2A clients and conformance suites expect. Anything but a completed task answers with the Task either way.
   */
  sendResult?: 'message' | 'task'
  /** Serve v1.0 `ListTasks` (each caller sees only its own tasks). Default false: -32004. */
  listTasks?: boolean
  /**
   * Require `Authorization: Bearer <one of these tokens>` on every route but the agent card and
   * `/health` (for a port reachable beyond the platform's network). Read per request, so tokens may
   * rotate; an empty list refuses everyone. Default: no bearer needed.
   */
  auth?: { bearer: () => readonly string[] }
  /** Origins (`scheme://host[:port]`) whose browser requests are served. Default none: any `Origin` → 403. */
  allowedOrigins?: readonly string[]
  /** Host names served besides IP literals, `localhost` and the card URL's host. Default none. */
  allowedHosts?: readonly string[]
  /** Tasks whose executor runs at once. Default 64. */
  maxConcurrentTasks?: number
  /** Tasks waiting (FIFO) for a run slot; beyond it HTTP 503 + `Retry-After`. Default 256. */
  maxQueuedTasks?: number
  onTaskStart?: (activity: TaskActivity) => void
  onTaskEnd?: (activity: TaskActivity) => void
  /** Extra fields of the `/health` answer (read per request), beside `status` and `activeTasks`. */
  health?: () => Record<string, unknown>
}

export interface A2AServer {
  /** The hono app (mount it elsewhere or call `app.fetch` directly). */
  readonly app: Hono
  listen(options?: { port?: number; host?: string }): Promise<{ port: number; url: string }>
  /** Stops listening and drops open connections (streams included). */
  close(): Promise<void>
  setCard(card: AgentCard): void
  activeTaskCount(): number
  on(event: 'taskStart' | 'taskEnd', listener: (activity: TaskActivity) => void): () => void
  /** Refuses new tasks, waits up to `graceMs` for running ones, then cancels the rest (returned). */
  drain(options?: { graceMs?: number }): Promise<{ canceled: string[] }>
}
