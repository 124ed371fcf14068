import { rm } from 'node:fs/promises'
import { readJsonFile, writeFileAtomic } from '@molecule/platform-client'
import { deepScrub } from './scrub-secrets.js'

/** What the runtime persists on shutdown so the next boot can resume the agent's session. */
export interface Snapshot {
  workspace_id: string
  timestamp: string
  current_task: string
  active_tasks: number
  uptime_seconds?: number
  session_id?: string
  adapter: Record<string, unknown>
  [extra: string]: unknown
}

export interface SnapshotInput {
  workspaceId: string
  currentTask: string
  activeTasks: number
  uptimeSeconds?: number
  /** Adapter `preStopState()` output; its own `session_id` wins over the fallback. */
  adapterState: Record<string, unknown>
  sessionId?: string
  now?: Date
}

export function buildSnapshot(input: SnapshotInput): Snapshot {
  const snapshot: Snapshot = {
    workspace_id: input.workspaceId || 'unknown',
    timestamp: (input.now ?? new Date()).toISOString(),
    current_task: input.currentTask,
    active_tasks: input.activeTasks,
    adapter: input.adapterState,
  }
  if (input.uptimeSeconds !== undefined) snapshot.uptime_seconds = input.uptimeSeconds
  if (input.adapterState.session_id === undefined) snapshot.session_id = input.sessionId ?? ''
  return snapshot
}

/**
 * Reads and writes the scrubbed snapshot file. Writes are atomic (`writeFileAtomic`, mode 0600) so a SIGKILL
 * during shutdown leaves either the old snapshot or the new one, never half a file.
 */
export class PreStopSnapshot {
  /** Why the last write failed (`ENOSPC: no space left on device`, …), for the shutdown log. */
  lastError: string | undefined

  constructor(readonly path: string) {}

  /** Scrubs then writes; returns false instead of throwing because shutdown must go on. */
  async write(snapshot: Snapshot): Promise<boolean> {
    try {
      const scrubbed = deepScrub(snapshot)
      const text = JSON.stringify(
        scrubbed,
        (_key, value) => (typeof value === 'bigint' ? String(value) : value),
        2,
      )
      await writeFileAtomic(this.path, text)
      this.lastError = undefined
      return true
    } catch (err) {
      this.lastError = err instanceof Error ? err.message : String(err)
      return false
    }
  }

  /** Missing or unreadable file, or invalid JSON: no snapshot. */
  async read(): Promise<Snapshot | undefined> {
    const parsed = await readJsonFile(this.path)
    if (parsed === undefined || parsed === null || typeof parsed !== 'object' || Array.isArray(parsed))
      return undefined
    const snapshot = parsed as Snapshot
    if (snapshot.adapter === null || typeof snapshot.adapter !== 'object') snapshot.adapter = {}
    return snapshot
  }

  async delete(): Promise<void> {
    await rm(this.path, { force: true })
  }
}

/**
 * The session to resume: the adapter block first (where `preStopState` puts it), the top level as a fallback —
 * upstream read only the top level and so never restored a session.
 */
export function snapshotSessionId(snapshot: Snapshot): string | undefined {
  const fromAdapter = snapshot.adapter.session_id
  if (typeof fromAdapter === 'string' && fromAdapter) return fromAdapter
  return typeof snapshot.session_id === 'string' && snapshot.session_id ? snapshot.session_id : undefined
}
