import { type Adapter, capabilitiesToWire, runtimeCapabilities } from '@molecule/adapter-core'
import type { HeartbeatBody } from '@molecule/platform-client'
import type { Logger } from 'pino'
import type { TaskActivity, WedgeState } from './TaskActivity.js'

/**
 * One heartbeat (§2.8–2.9): counters and uptime; `error_rate` = failed share of the tasks finished since the
 * last accepted beat (upstream never fed it; ≥ 0.5 shows the workspace as degraded); the wedge overlay while
 * wedged; `runtime_metadata` from the LIVE adapter (upstream built a fresh adapter per beat). A throwing adapter
 * hook drops the block rather than the beat; the idle-timeout override is sent only as a positive integer.
 */
export function heartbeatBody(
  adapter: Adapter,
  activity: TaskActivity,
  wedge: WedgeState,
  startedAt: number,
  now: number,
  log: Logger,
): HeartbeatBody {
  const { requests, errors } = activity.outcomes
  const body: HeartbeatBody = {
    error_rate: requests > 0 ? errors / requests : 0,
    sample_error: errors > 0 ? `${errors} of ${requests} recent tasks failed` : '',
    active_tasks: activity.activeTasks,
    current_task: activity.currentTask,
    uptime_seconds: Math.floor((now - startedAt) / 1000),
  }
  if (wedge.wedged) {
    body.runtime_state = 'wedged'
    body.sample_error = wedge.reason
  }
  try {
    const caps = adapter.capabilities?.()
    const idle = adapter.idleTimeoutOverride?.()
    body.runtime_metadata = {
      capabilities: { ...capabilitiesToWire(caps ?? runtimeCapabilities()) },
      ...(typeof idle === 'number' && Number.isInteger(idle) && idle > 0
        ? { idle_timeout_seconds: idle }
        : {}),
    }
  } catch (err) {
    log.debug(
      { err: (err as Error).message },
      'adapter capabilities unavailable; heartbeat without runtime_metadata',
    )
  }
  return body
}
