import type { PlatformState } from '../platform-state.js'
import { type DeliveryMode, deliveryModeOf, type Workspace } from '../workspace.js'
import type { InboxCounter } from './inbox-counter.js'
import { shownText } from './text-preview.js'

/** One row of the console's workspace table. */
export interface WorkspaceSummary {
  id: string
  name: string
  status: string
  runtime: string
  deliveryMode: DeliveryMode
  currentTask: string
  activeTasks: number
  maxTasks: number
  lastHeartbeatAt: number | null
  /** Unread inbox rows of a poll-mode workspace; null for push delivery. */
  inboxDepth: number | null
  /** Requests waiting in the platform's busy queue for this workspace. */
  queued: number
}

/** Masked texts by their source: names, runtimes and tasks repeat on every heartbeat, masking them again would not. */
const SHOWN_CACHE = 2_000
const shownCache = new Map<string, string>()

function shown(text: string, max: number): string {
  const key = `${max}:${text}`
  let value = shownCache.get(key)
  if (value === undefined) {
    value = shownText(text, max)
    if (shownCache.size >= SHOWN_CACHE) shownCache.clear()
    shownCache.set(key, value)
  }
  return value
}

export function summarizeWorkspace(
  state: PlatformState,
  ws: Workspace,
  inbox: InboxCounter,
): WorkspaceSummary {
  const mode = deliveryModeOf(ws)
  return {
    id: ws.id,
    name: shown(ws.name, 80),
    status: ws.status,
    runtime: shown(ws.runtime, 40),
    deliveryMode: mode,
    currentTask: shown(ws.current_task, 120),
    activeTasks: ws.active_tasks,
    maxTasks: ws.max_concurrent_tasks,
    lastHeartbeatAt: ws.last_heartbeat_at,
    inboxDepth: mode === 'poll' ? inbox.depth(ws.id) : null,
    queued: queuedFor(state, ws.id),
  }
}

/**
 * Everything a row shows except the heartbeat time (sent on its own, so a plain heartbeat re-renders nothing), from
 * the raw record: cheap enough to compute on every heartbeat.
 */
export function workspaceSignature(state: PlatformState, ws: Workspace, inbox: InboxCounter): string {
  const mode = deliveryModeOf(ws)
  return JSON.stringify([
    ws.name,
    ws.status,
    ws.runtime,
    mode,
    ws.current_task,
    ws.active_tasks,
    ws.max_concurrent_tasks,
    mode === 'poll' ? inbox.depth(ws.id) : null,
    queuedFor(state, ws.id),
  ])
}

function queuedFor(state: PlatformState, workspaceId: string): number {
  let queued = 0
  for (const entry of state.queue)
    if (entry.workspace_id === workspaceId && entry.status === 'queued') queued++
  return queued
}
