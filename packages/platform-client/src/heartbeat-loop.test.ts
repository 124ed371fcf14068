import { afterEach, describe, expect, it } from 'vitest'
import { holdTurn } from '../test/support/held-turn.js'
import { recordingLogger, until } from '../test/support/recording-logger.js'
import { type ScriptedReply, startScriptedServer } from '../test/support/scripted-server.js'
import { PlatformClient } from './client.js'
import { HeartbeatLoop } from './heartbeat-loop.js'
import { Turns } from './turns.js'

const WS = '0b6f7c1e-5d2a-4c8e-9a71-2f4d6e8b9c10'
const TOKEN = 'dG9rZW4tdGhhdC1tdXN0LW5ldmVyLWJlLWxvZ2dlZC1hbnl3aGVyZQ'

const cleanups: Array<() => Promise<void>> = []
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn()
})

async function setup(reply: (i: number) => ScriptedReply) {
  const server = await startScriptedServer((_, i) => reply(i))
  cleanups.push(server.close)
  const client = new PlatformClient({
    platformUrl: server.url,
    workspaceId: WS,
    token: TOKEN,
    timeoutMs: 200,
    retry: { attempts: 3, baseMs: 1, maxMs: 2 },
  })
  return { server, client }
}

describe('HeartbeatLoop', () => {
  it('beats immediately and then every intervalMs with the snapshot body', async () => {
    const { server, client } = await setup(() => ({ status: 200, body: { status: 'ok' } }))
    let tasks = 0
    const loop = new HeartbeatLoop({
      client,
      intervalMs: 20,
      snapshot: () => ({
        active_tasks: tasks++,
        current_task: 'x',
        uptime_seconds: 5,
        error_rate: 0,
        sample_error: '',
        runtime_state: 'wedged',
        runtime_metadata: { capabilities: { heartbeat: false, session: true }, idle_timeout_seconds: 900 },
      }),
    })
    cleanups.push(() => loop.stop())
    loop.start()
    await until(() => server.requests.length >= 3, 2000, 'three heartbeats')
    const first = JSON.parse(server.requests[0]!.body)
    expect(first).toEqual({
      workspace_id: WS,
      active_tasks: 0,
      current_task: 'x',
      uptime_seconds: 5,
      error_rate: 0,
      sample_error: '',
      runtime_state: 'wedged',
      runtime_metadata: { capabilities: { heartbeat: false, session: true }, idle_timeout_seconds: 900 },
    })
    expect(JSON.parse(server.requests[2]!.body).active_tasks).toBe(2)
    expect(loop.consecutiveFailures).toBe(0)
    expect(loop.lastSuccessAt).toBeTypeOf('number')
  })

  it('survives 100 injected failures with bounded log volume, then logs one recovery line', async () => {
    let failing = true
    const { server, client } = await setup(() =>
      failing
        ? { status: 500, body: { error: `failed to update; Bearer ${TOKEN}` } }
        : { status: 200, body: { status: 'ok' } },
    )
    const logger = recordingLogger()
    const unhandled: unknown[] = []
    const onUnhandled = (err: unknown) => unhandled.push(err)
    process.on('unhandledRejection', onUnhandled)
    cleanups.push(async () => {
      process.off('unhandledRejection', onUnhandled)
    })
    const loop = new HeartbeatLoop({
      client,
      intervalMs: 1,
      logger,
      failureLog: { everyFailures: 25, everyMs: 60_000 },
      snapshot: () => ({ active_tasks: 0 }),
    })
    cleanups.push(() => loop.stop())
    loop.start()
    await until(() => loop.consecutiveFailures >= 100, 10_000, '100 failed heartbeats')
    failing = false
    await until(() => loop.consecutiveFailures === 0, 2000, 'recovery')
    await loop.stop()
    // first failure + one per 25 (25, 50, 75, 100, maybe 125) + one recovery line
    const failureLines = logger.at('warn').length + logger.at('error').length
    expect(failureLines).toBeGreaterThanOrEqual(5)
    expect(failureLines).toBeLessThanOrEqual(7)
    expect(logger.at('info').filter((l) => l.msg?.includes('recovered'))).toHaveLength(1)
    expect(JSON.stringify(logger.lines)).not.toContain(TOKEN)
    expect(unhandled).toEqual([])
    // each tick is one request: the loop's own interval is the retry, not the client's retry policy
    // (the last beat may have been aborted by stop() before it reached the server)
    expect(server.requests.length).toBeLessThanOrEqual(loop.beatCount)
    expect(server.requests.length).toBeGreaterThanOrEqual(loop.beatCount - 1)
  })

  it('survives a snapshot function that throws', async () => {
    const { server, client } = await setup(() => ({ status: 200, body: { status: 'ok' } }))
    let calls = 0
    const logger = recordingLogger()
    const loop = new HeartbeatLoop({
      client,
      intervalMs: 5,
      logger,
      snapshot: () => {
        if (calls++ < 2) throw new Error('adapter exploded')
        return { active_tasks: 1 }
      },
    })
    cleanups.push(() => loop.stop())
    loop.start()
    await until(() => server.requests.length >= 1, 2000, 'a heartbeat after snapshot errors')
    expect(logger.at('warn')[0]?.msg).toContain('adapter exploded')
  })

  it('coalesces pulses into one immediate extra beat', async () => {
    let release: (() => void) | undefined
    const { server, client } = await setup(() => ({ status: 200, body: { status: 'ok' } }))
    const loop = new HeartbeatLoop({
      client,
      intervalMs: 60_000,
      // No pulse window: this is about pulses during a beat in flight (windows: heartbeat-pulses.test.ts).
      pulseWindowMs: 0,
      snapshot: async () => {
        await new Promise<void>((r) => {
          release = r
        })
        return {}
      },
    })
    cleanups.push(async () => {
      release?.()
      await loop.stop()
    })
    loop.start()
    await until(() => release !== undefined, 1000, 'first snapshot')
    loop.pulse()
    loop.pulse()
    loop.pulse()
    const firstRelease = release!
    release = undefined
    firstRelease()
    await until(() => release !== undefined, 1000, 'second snapshot')
    release!()
    await until(() => server.requests.length === 2, 1000, 'two beats')
    await new Promise((r) => setTimeout(r, 50))
    expect(server.requests.length).toBe(2)
    expect(loop.beatCount).toBe(2)
    // A pulse while idle wakes the loop at once instead of waiting for the 60 s interval.
    release = undefined
    loop.pulse()
    await until(() => release !== undefined, 1000, 'pulsed snapshot')
    release!()
    await until(() => server.requests.length === 3, 1000, 'pulsed beat')
  })

  it('stop() resolves promptly and aborts a hanging in-flight heartbeat', async () => {
    const { client } = await setup(() => 'hang')
    const slowClient = new PlatformClient({
      platformUrl: client.platformUrl,
      workspaceId: WS,
      timeoutMs: 30_000,
    })
    const loop = new HeartbeatLoop({ client: slowClient, intervalMs: 30_000, snapshot: () => ({}) })
    loop.start()
    await new Promise((r) => setTimeout(r, 30))
    const started = Date.now()
    await loop.stop()
    expect(Date.now() - started).toBeLessThan(1500)
  })

  it('asks to re-register on 404 and 401, at most once per cooldown', async () => {
    let status = 404
    const { client } = await setup(() => ({ status, body: { error: 'workspace not found' } }))
    const reasons: string[] = []
    const loop = new HeartbeatLoop({
      client,
      intervalMs: 2,
      reregisterCooldownMs: 60_000,
      snapshot: () => ({}),
      onReregister: (reason) => {
        reasons.push(reason)
      },
    })
    cleanups.push(() => loop.stop())
    loop.start()
    await until(() => loop.beatCount >= 10, 2000, 'ten beats')
    expect(reasons).toEqual(['heartbeat answered 404'])
    await loop.stop()

    status = 401
    const reasons401: string[] = []
    const again = new HeartbeatLoop({
      client,
      intervalMs: 60_000,
      snapshot: () => ({}),
      onReregister: async (reason) => {
        reasons401.push(reason)
        throw new Error('register failed too')
      },
    })
    cleanups.push(() => again.stop())
    again.start()
    await until(() => reasons401.length === 1, 2000, 're-register on 401')
  })

  it('re-registers when a 200 response says the workspace is unknown, and hands responses to onResponse', async () => {
    const { client } = await setup(() => ({
      status: 200,
      body: { status: 'unregistered', platform_inbound_secret: 's' },
    }))
    const reasons: string[] = []
    const secrets: unknown[] = []
    const loop = new HeartbeatLoop({
      client,
      intervalMs: 60_000,
      snapshot: () => ({}),
      onReregister: (r) => {
        reasons.push(r)
      },
      onResponse: (res) => secrets.push(res.platform_inbound_secret),
    })
    cleanups.push(() => loop.stop())
    loop.start()
    await until(() => reasons.length === 1, 2000, 'told to re-register')
    expect(secrets).toEqual(['s'])
  })
})

describe('HeartbeatLoop, taking turns', () => {
  it('beats only when its turn comes, and a stop while it waits for one resolves at once without a beat', async () => {
    const { server, client } = await setup(() => ({ status: 200, body: { status: 'ok' } }))
    const turns = new Turns(1)
    const held = holdTurn(turns)
    const snapshot = () => ({ active_tasks: 0 })
    const waiting = new HeartbeatLoop({ client, intervalMs: 30_000, snapshot, turns })
    const stoppedWhileWaiting = new HeartbeatLoop({ client, intervalMs: 30_000, snapshot, turns })
    waiting.start()
    stoppedWhileWaiting.start()
    await new Promise((r) => setTimeout(r, 100))
    expect(server.requests).toHaveLength(0)
    expect(turns.waiting).toBe(2)

    const stopStarted = Date.now()
    await stoppedWhileWaiting.stop()
    expect(Date.now() - stopStarted).toBeLessThan(100)

    held.free()
    await held.freed
    await until(() => server.requests.length === 1, 1000, 'the beat that waited for its turn')
    await new Promise((r) => setTimeout(r, 50))
    expect(server.requests).toHaveLength(1)
    expect([turns.running, turns.waiting]).toEqual([0, 0])
    await waiting.stop()
  })
})
