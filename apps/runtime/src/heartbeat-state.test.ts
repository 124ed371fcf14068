import { type Adapter, runtimeCapabilities } from '@molecule/adapter-core'
import { silentLogger } from '@molecule/core'
import { buildHeartbeatBody } from '@molecule/platform-client'
import { describe, expect, it } from 'vitest'
import { heartbeatState } from './heartbeat-state.js'
import { TaskActivity, WedgeState } from './task-activity.js'

const log = silentLogger

/** What the runtime's heartbeat loop sends: the shared body builder fed with the runtime's state. */
const heartbeatBody = (
  adapter: Adapter,
  activity: TaskActivity,
  wedge: WedgeState,
  startedAt: number,
  now: number,
  logger: typeof log,
) => buildHeartbeatBody(heartbeatState(adapter, activity, wedge, startedAt, now, logger))

describe('heartbeat body from runtime state', () => {
  it('carries counters, uptime and all-false capabilities by default', () => {
    const activity = new TaskActivity()
    activity.start('summarise the report')
    const body = heartbeatBody(
      { name: 'x', createExecutor: () => () => '' },
      activity,
      new WedgeState(),
      5000,
      12_345,
      log,
    )
    expect(body).toEqual({
      error_rate: 0,
      sample_error: '',
      active_tasks: 1,
      current_task: 'summarise the report',
      uptime_seconds: 7,
      runtime_metadata: {
        capabilities: {
          heartbeat: false,
          scheduler: false,
          session: false,
          status_mgmt: false,
          retry: false,
          activity_decoration: false,
          channel_dispatch: false,
        },
      },
    })
  })

  it('adds the wedge fields and a positive integer idle override only', () => {
    const wedge = new WedgeState()
    wedge.mark('sdk stuck')
    const adapter = {
      name: 'x',
      createExecutor: () => () => '',
      capabilities: () => runtimeCapabilities({ providesNativeRetry: true }),
      idleTimeoutOverride: () => 900,
    }
    const body = heartbeatBody(adapter, new TaskActivity(), wedge, 0, 0, log)
    expect(body.runtime_state).toBe('wedged')
    expect(body.sample_error).toBe('sdk stuck')
    expect(body.runtime_metadata).toMatchObject({ capabilities: { retry: true }, idle_timeout_seconds: 900 })
    const zero = heartbeatBody(
      { ...adapter, idleTimeoutOverride: () => 0 },
      new TaskActivity(),
      wedge,
      0,
      0,
      log,
    )
    expect(zero.runtime_metadata && 'idle_timeout_seconds' in zero.runtime_metadata).toBe(false)
  })

  it('reports the failed share of finished tasks until the platform acknowledges them', () => {
    const activity = new TaskActivity()
    for (const state of ['completed', 'failed', 'failed', 'canceled']) activity.recordOutcome(state)
    const adapter = { name: 'x', createExecutor: () => () => '' }
    const body = heartbeatBody(adapter, activity, new WedgeState(), 0, 0, log)
    expect(body.error_rate).toBe(0.5)
    expect(body.sample_error).toBe('2 of 4 recent tasks failed')
    const window = activity.outcomes
    activity.recordOutcome('failed')
    activity.acknowledge(window)
    expect(activity.outcomes).toEqual({ requests: 1, errors: 1 })
    const wedge = new WedgeState()
    wedge.mark('stuck')
    expect(heartbeatBody(adapter, activity, wedge, 0, 0, log).sample_error).toBe('stuck')
  })

  it('omits runtime_metadata when the adapter introspection throws', () => {
    const adapter = {
      name: 'x',
      createExecutor: () => () => '',
      capabilities: () => {
        throw new Error('boom')
      },
    }
    expect(
      heartbeatBody(adapter, new TaskActivity(), new WedgeState(), 0, 0, log).runtime_metadata,
    ).toBeUndefined()
  })
})
