import type { Logger } from '@molecule/core'
import type { TaskActivity, WedgeState } from './task-activity.js'

/**
 * The `heartbeat` handle adapters receive in `AdapterConfig`: adapter-core's `setCurrentTask`, plus the wedge switch
 * (`markWedged(reason)` / `clearWedge()`) for non-recoverable per-process states such as an SDK stuck initialising.
 * While wedged, every heartbeat carries `runtime_state: "wedged"` and the reason, and the platform shows the
 * workspace as degraded; clearing it brings the workspace back online.
 */
export interface RuntimeHeartbeatHandle {
  setCurrentTask(task: string): void
  markWedged(reason: string): void
  clearWedge(): void
  readonly wedged: boolean
}

/** `onChange` runs when the wedge flips either way, so the platform hears of it before the next regular beat. */
export function runtimeHeartbeatHandle(
  activity: TaskActivity,
  wedge: WedgeState,
  log: Logger,
  onChange: () => void = () => {},
): RuntimeHeartbeatHandle {
  return {
    setCurrentTask: (task) => activity.setCurrentTask(task),
    markWedged(reason) {
      if (wedge.mark(reason)) {
        log.error({ reason: wedge.reason }, 'runtime wedged; reporting degraded until cleared')
        onChange()
      }
    },
    clearWedge() {
      if (wedge.clear()) {
        log.info('runtime wedge cleared')
        onChange()
      }
    },
    get wedged() {
      return wedge.wedged
    },
  }
}
