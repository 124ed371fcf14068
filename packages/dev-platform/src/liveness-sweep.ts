import type { Logger } from '@molecule/core'
import { expireApprovals } from './approval-decisions.js'
import type { ResolvedOptions } from './options.js'
import type { PlatformState } from './platform-state.js'

/**
 * Periodic checks that upstream spreads over a Redis TTL, a health sweep, a provisioning sweep and an
 * activity purge: stale heartbeats → degraded → offline, stuck provisioning → failed, old rows pruned; and approvals
 * nobody decided within `approvalExpiryMs` denied as `auto-expired` (the platform does it only when
 * `/approvals/pending` is read; here an agent waiting for its decision sees the expiry without an operator).
 */
export class LivenessSweep {
  private timer: NodeJS.Timeout | undefined

  constructor(
    private readonly state: PlatformState,
    private readonly options: ResolvedOptions,
    private readonly logger: Logger,
  ) {}

  start(): void {
    if (this.timer) return
    this.timer = setInterval(() => this.tick(), this.options.sweepIntervalMs)
    this.timer.unref()
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer)
    this.timer = undefined
  }

  tick(): void {
    const expired = expireApprovals(this.state, this.options.approvalExpiryMs)
    if (expired > 0) this.logger.info({ expired }, 'approvals nobody decided were denied as auto-expired')
    const now = this.state.now()
    const { degradedAfterMs, offlineAfterMs, provisionTimeoutMs } = this.options
    for (const ws of this.state.workspaces.values()) {
      if (ws.status === 'online' || ws.status === 'degraded') {
        const age = now - (ws.last_heartbeat_at ?? ws.status_since)
        if (age >= offlineAfterMs) {
          this.logger.info({ workspaceId: ws.id, ageMs: age }, 'no heartbeat: workspace offline')
          this.state.setStatus(ws, 'offline')
        } else if (ws.status === 'online' && degradedAfterMs > 0 && age >= degradedAfterMs) {
          this.logger.info({ workspaceId: ws.id, ageMs: age }, 'heartbeat overdue: workspace degraded')
          ws.last_sample_error = `no heartbeat for ${Math.round(age / 1000)}s`
          this.state.setStatus(ws, 'degraded', {
            error_rate: ws.last_error_rate,
            sample_error: ws.last_sample_error,
            reason: 'heartbeat_overdue',
          })
        }
      } else if (ws.status === 'provisioning' || ws.status === 'awaiting_agent') {
        if (now - ws.status_since >= provisionTimeoutMs) {
          ws.last_sample_error = 'provisioning timed out: the agent never registered'
          this.state.setStatus(ws, 'failed', {
            error: ws.last_sample_error,
            timeout_secs: Math.round(provisionTimeoutMs / 1000),
            runtime: ws.runtime,
            source: 'provision_timeout_sweep',
          })
        }
      }
    }
    this.state.activity.prune(now - this.options.activityRetentionMs)
  }
}
