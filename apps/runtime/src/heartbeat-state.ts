import { type Adapter, runtimeCapabilities } from '@molecule/adapter-core'
import { capabilitiesToWire } from '@molecule/adapter-core/runtime'
import type { Logger } from '@molecule/core'
import type { HeartbeatState } from '@molecule/platform-client'
import type { TaskActivity, WedgeState } from './task-activity.js'

/**
 * The runtime's inputs to `buildHeartbeatBody` of `@molecule/platform-client`, which owns the wire rules of
 * `POST /registry/heartbeat`: counters and uptime; `errorCount`/`requestCount` = the tasks finished since the last accepted beat
 * (upstream never fed them; an error rate ≥ 0.5 shows the workspace as degraded) with a sample error naming the
 * share; the wedge reason; capabilities and the idle-timeout override of the LIVE adapter (upstream built a
 * fresh adapter per beat). A throwing adapter hook drops `runtime_metadata` rather than the beat.
 */
export function heartbeatState(
  adapter: Adapter,
  activity: TaskActivity,
  wedge: WedgeState,
  startedAt: number,
  now: number,
  log: Logger,
): HeartbeatState {
  const { requests, errors } = activity.outcomes
  const state: HeartbeatState = {
    activeTasks: activity.activeTasks,
    currentTask: activity.currentTask,
    startedAt,
    now,
    errorCount: errors,
    requestCount: requests,
    sampleError: errors > 0 ? `${errors} of ${requests} recent tasks failed` : '',
  }
  if (wedge.wedged) state.wedgeReason = wedge.reason
  try {
    const caps = adapter.capabilities?.()
    const idle = adapter.idleTimeoutOverride?.()
    state.capabilities = capabilitiesToWire(caps ?? runtimeCapabilities())
    if (typeof idle === 'number' && Number.isInteger(idle) && idle > 0) state.idleTimeoutSeconds = idle
  } catch (err) {
    log.debug(
      { err: (err as Error).message },
      'adapter capabilities unavailable; heartbeat without runtime_metadata',
    )
  }
  return state
}
