import { describe, expect, it } from 'vitest'
import { buildHeartbeatBody } from './heartbeat-body.js'

describe('buildHeartbeatBody', () => {
  it('produces the heartbeat body with uptime and error rate', () => {
    expect(
      buildHeartbeatBody({
        activeTasks: 2,
        currentTask: 'Summarising',
        startedAt: 1_000,
        now: 6_412_000,
        errorCount: 1,
        requestCount: 4,
        sampleError: 'timeout',
      }),
    ).toEqual({
      error_rate: 0.25,
      sample_error: 'timeout',
      active_tasks: 2,
      current_task: 'Summarising',
      uptime_seconds: 6411,
    })
  })

  it('overlays the wedge state and sends all seven capability flags plus a positive idle timeout', () => {
    const body = buildHeartbeatBody({
      activeTasks: 0,
      startedAt: 0,
      now: 0,
      sampleError: 'older error',
      wedgeReason: 'SDK wedged: restart the workspace',
      capabilities: { session: true },
      idleTimeoutSeconds: 900,
      monthlySpend: 120,
    })
    expect(body).toMatchObject({
      runtime_state: 'wedged',
      sample_error: 'SDK wedged: restart the workspace',
      monthly_spend: 120,
      runtime_metadata: {
        capabilities: {
          heartbeat: false,
          scheduler: false,
          session: true,
          status_mgmt: false,
          retry: false,
          activity_decoration: false,
          channel_dispatch: false,
        },
        idle_timeout_seconds: 900,
      },
    })
  })

  it('omits runtime_metadata without capabilities, the idle override when not positive, and zero spend', () => {
    const body = buildHeartbeatBody({
      activeTasks: -1,
      startedAt: 0,
      now: 0,
      idleTimeoutSeconds: 0,
      monthlySpend: 0,
    })
    expect(body).toEqual({
      error_rate: 0,
      sample_error: '',
      active_tasks: 0,
      current_task: '',
      uptime_seconds: 0,
    })
    const noIdle = buildHeartbeatBody({
      activeTasks: 0,
      startedAt: 0,
      now: 0,
      capabilities: {},
      idleTimeoutSeconds: -5,
    })
    expect(noIdle.runtime_metadata).toEqual({
      capabilities: expect.objectContaining({ heartbeat: false }),
    })
  })
})
