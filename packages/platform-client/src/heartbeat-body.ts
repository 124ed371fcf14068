import type { HeartbeatBody, RuntimeCapabilitiesFlags } from './types.js'

export interface HeartbeatState {
  activeTasks: number
  currentTask?: string
  /** `Date.now()` when the workspace process started. */
  startedAt: number
  /** Errors and requests since the last successful heartbeat window; `error_rate` = errors / requests. */
  errorCount?: number
  requestCount?: number
  sampleError?: string
  /** Non-empty while the adapter is wedged: adds `runtime_state: "wedged"` and overrides `sample_error`. */
  wedgeReason?: string
  /** Adapter capabilities; when given, `runtime_metadata` is sent (its presence marks the new protocol). */
  capabilities?: Partial<RuntimeCapabilitiesFlags>
  /** Sent only when > 0. */
  idleTimeoutSeconds?: number
  /** USD cents; omitted when 0 or absent ("no update"). */
  monthlySpend?: number
  now?: number
}

const CAPABILITY_KEYS: Array<keyof RuntimeCapabilitiesFlags> = [
  'heartbeat',
  'scheduler',
  'session',
  'status_mgmt',
  'retry',
  'activity_decoration',
  'channel_dispatch',
]

/**
 * The `POST /registry/heartbeat` body from plain runtime state, so every caller sends the same fields with the same
 * rules (wedge overlay, capability block with all seven flags,
 * idle-timeout override only when positive).
 */
export function buildHeartbeatBody(state: HeartbeatState): HeartbeatBody {
  const now = state.now ?? Date.now()
  const requests = state.requestCount ?? 0
  const body: HeartbeatBody = {
    error_rate: requests > 0 ? Math.min(1, (state.errorCount ?? 0) / requests) : 0,
    sample_error: state.sampleError ?? '',
    active_tasks: Math.max(0, Math.trunc(state.activeTasks)),
    current_task: state.currentTask ?? '',
    uptime_seconds: Math.max(0, Math.floor((now - state.startedAt) / 1000)),
  }
  if (state.wedgeReason) {
    body.runtime_state = 'wedged'
    body.sample_error = state.wedgeReason
  }
  if (state.capabilities) {
    const capabilities: Record<string, boolean> = {}
    for (const key of CAPABILITY_KEYS) capabilities[key] = state.capabilities[key] === true
    body.runtime_metadata = { capabilities }
    if (state.idleTimeoutSeconds && state.idleTimeoutSeconds > 0) {
      body.runtime_metadata.idle_timeout_seconds = Math.trunc(state.idleTimeoutSeconds)
    }
  }
  if (state.monthlySpend && state.monthlySpend > 0) body.monthly_spend = Math.trunc(state.monthlySpend)
  return body
}
