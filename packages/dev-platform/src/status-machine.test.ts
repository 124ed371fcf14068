import { randomUUID } from 'node:crypto'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { collectEvents, startTestPlatform, type TestPlatform } from './test-helpers.js'

let p: TestPlatform
afterEach(async () => p?.close())

describe('workspace status machine (heartbeats, sweep) with millisecond TTLs', () => {
  it('online → degraded → offline without heartbeats, back online on the next heartbeat (real timers)', async () => {
    // A wide gap between the two TTLs keeps the degraded stage observable on a loaded machine.
    p = await startTestPlatform({ degradedAfterMs: 40, offlineAfterMs: 400, sweepIntervalMs: 5 })
    const events = collectEvents(p)
    const { id, token } = await p.register()
    expect(p.state.get(id)?.status).toBe('online')
    await vi.waitFor(() => expect(p.state.get(id)?.status).toBe('offline'), { timeout: 3000, interval: 5 })
    await p.call('POST', '/registry/heartbeat', { body: { workspace_id: id }, token })
    expect(p.state.get(id)?.status).toBe('online')
    const lifecycle = events.filter(
      (e) => e.workspaceId === id && e.event.startsWith('WORKSPACE_') && e.event !== 'WORKSPACE_HEARTBEAT',
    )
    expect(lifecycle.map((e) => e.event)).toEqual([
      'WORKSPACE_ONLINE',
      'WORKSPACE_DEGRADED',
      'WORKSPACE_OFFLINE',
      'WORKSPACE_ONLINE',
    ])
  })

  it('follows error_rate and runtime_state, and heartbeats keep a workspace online (injected clock)', async () => {
    let clock = 1_000_000
    p = await startTestPlatform({
      now: () => clock,
      degradedAfterMs: 100,
      offlineAfterMs: 300,
      sweepIntervalMs: 60_000,
    })
    const events = collectEvents(p)
    const { id, token } = await p.register()
    const beat = (body: Record<string, unknown>) =>
      p.call('POST', '/registry/heartbeat', { body: { workspace_id: id, ...body }, token })

    clock += 90
    await beat({})
    clock += 90
    p.platform.sweep()
    expect(p.state.get(id)?.status).toBe('online')

    await beat({ error_rate: 0.5, sample_error: 'boom' })
    expect(p.state.get(id)?.status).toBe('degraded')
    expect(events.find((e) => e.event === 'WORKSPACE_DEGRADED')?.payload).toEqual({
      error_rate: 0.5,
      sample_error: 'boom',
    })
    await beat({ error_rate: 0.2 })
    expect(p.state.get(id)?.status).toBe('degraded')
    await beat({ error_rate: 0.05 })
    expect(p.state.get(id)?.status).toBe('online')

    await beat({ runtime_state: 'wedged', sample_error: 'stuck' })
    expect(p.state.get(id)?.status).toBe('degraded')
    await beat({ runtime_state: 'wedged' })
    expect(p.state.get(id)?.status).toBe('degraded')
    await beat({})
    expect(p.state.get(id)?.status).toBe('online')

    // An adapter that manages its own status is never flipped by error_rate.
    await beat({ error_rate: 0.9, runtime_metadata: { capabilities: { status_mgmt: true } } })
    expect(p.state.get(id)?.status).toBe('online')

    clock += 299
    p.platform.sweep()
    expect(p.state.get(id)?.status).toBe('degraded')
    clock += 1
    p.platform.sweep()
    expect(p.state.get(id)?.status).toBe('offline')
  })

  it('emits TASK_UPDATED only when current_task changes and WORKSPACE_HEARTBEAT on every beat', async () => {
    p = await startTestPlatform()
    const events = collectEvents(p)
    const { id, token } = await p.register()
    for (const task of ['a', 'a', 'b']) {
      await p.call('POST', '/registry/heartbeat', {
        body: { workspace_id: id, current_task: task, active_tasks: 1 },
        token,
      })
    }
    expect(events.filter((e) => e.event === 'WORKSPACE_HEARTBEAT')).toHaveLength(3)
    expect(events.filter((e) => e.event === 'TASK_UPDATED').map((e) => e.payload.current_task)).toEqual([
      'a',
      'b',
    ])
  })

  it('provisioning → online on heartbeat, and → failed after the provisioning timeout', async () => {
    let clock = 5_000
    p = await startTestPlatform({ now: () => clock, provisionTimeoutMs: 1_000, sweepIntervalMs: 60_000 })
    const events = collectEvents(p)
    const booting = await p.createWorkspace({ name: 'booting' })
    const stuck = await p.createWorkspace({ name: 'stuck' })
    expect(p.state.get(booting.id)?.status).toBe('provisioning')
    await p.call('POST', '/registry/heartbeat', { body: { workspace_id: booting.id } })
    expect(p.state.get(booting.id)?.status).toBe('online')
    expect(
      events.find((e) => e.workspaceId === booting.id && e.event === 'WORKSPACE_ONLINE')?.payload,
    ).toEqual({
      recovered_from: 'provisioning',
    })
    clock += 1_000
    p.platform.sweep()
    expect(p.state.get(stuck.id)?.status).toBe('failed')
    expect(events.find((e) => e.event === 'WORKSPACE_PROVISION_FAILED')?.payload).toMatchObject({
      source: 'provision_timeout_sweep',
      timeout_secs: 1,
    })
    // Register brings even a failed workspace back online.
    const res = await p.call('POST', '/registry/register', {
      body: { id: stuck.id, url: 'http://127.0.0.1:9', agent_card: {} },
    })
    expect(res.status).toBe(200)
    expect(p.state.get(stuck.id)?.status).toBe('online')
  })

  it('ignores heartbeats of removed workspaces', async () => {
    p = await startTestPlatform()
    const { id, token } = await p.register()
    await p.call('DELETE', `/workspaces/${id}`)
    const res = await p.call('POST', '/registry/heartbeat', { body: { workspace_id: id }, token })
    expect(res.status).toBe(200)
    expect(p.state.get(id)?.status).toBe('removed')
    expect(p.state.get(randomUUID())).toBeUndefined()
  })
})
