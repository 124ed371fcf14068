import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { HeartbeatLoop } from './heartbeat-loop.js'
import type { HeartbeatBody } from './types.js'

/** A beat the fake client received: when (fake clock) and with which body. */
interface SentBeat {
  at: number
  body: HeartbeatBody
}

/**
 * A client whose heartbeat answers after `latencyMs` of fake time; `inFlight` counts beats not answered yet, and
 * `maxInFlight` the most there ever were at once.
 */
function fakeClient(latencyMs = 0) {
  const sent: SentBeat[] = []
  const counts = { inFlight: 0, maxInFlight: 0 }
  return {
    sent,
    counts,
    heartbeat(body: HeartbeatBody = {}, opts?: { signal?: AbortSignal }) {
      sent.push({ at: Date.now(), body })
      counts.inFlight++
      counts.maxInFlight = Math.max(counts.maxInFlight, counts.inFlight)
      if (latencyMs === 0) {
        counts.inFlight--
        return Promise.resolve({ status: 'ok' })
      }
      return new Promise<{ status: string }>((resolve, reject) => {
        const timer = setTimeout(() => {
          counts.inFlight--
          resolve({ status: 'ok' })
        }, latencyMs)
        opts?.signal?.addEventListener('abort', () => {
          clearTimeout(timer)
          counts.inFlight--
          reject(opts.signal?.reason)
        })
      })
    },
  }
}

const WINDOW = 100

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date', 'performance'] })
})
afterEach(() => {
  vi.useRealTimers()
})

/** A loop with a long regular interval, so only pulses cause beats; `active` is what each beat reports. */
async function startedLoop(latencyMs = 0) {
  const client = fakeClient(latencyMs)
  const state = { active: 0 }
  const loop = new HeartbeatLoop({
    client,
    intervalMs: 60_000,
    pulseWindowMs: WINDOW,
    snapshot: () => ({ active_tasks: state.active }),
  })
  loop.start()
  // The first beat, then more than a window of quiet: the next pulse may beat at once.
  await vi.advanceTimersByTimeAsync(WINDOW * 2)
  expect(client.sent).toHaveLength(1)
  return { client, state, loop }
}

describe('HeartbeatLoop pulses', () => {
  it('a burst of 100 pulses makes one immediate and one trailing beat per window', async () => {
    const { client, state, loop } = await startedLoop()
    const burstAt = Date.now()
    for (let i = 1; i <= 100; i++) {
      state.active = i
      loop.pulse()
      await vi.advanceTimersByTimeAsync(0)
    }
    expect(client.sent).toHaveLength(2)
    expect(client.sent[1]?.at).toBe(burstAt)
    await vi.advanceTimersByTimeAsync(WINDOW)
    expect(client.sent).toHaveLength(3)
    expect(client.sent[2]?.at).toBe(burstAt + WINDOW)
    // Nothing more was asked for: no further beat until the regular interval.
    await vi.advanceTimersByTimeAsync(WINDOW * 10)
    expect(client.sent).toHaveLength(3)
    await loop.stop()
  })

  it('pulses spread over several windows beat at most once per window, each carrying the state of its moment', async () => {
    const { client, state, loop } = await startedLoop()
    const burstAt = Date.now()
    // A pulse every 10 ms for 5 windows.
    for (let t = 0; t < WINDOW * 5; t += 10) {
      state.active = t
      loop.pulse()
      await vi.advanceTimersByTimeAsync(10)
    }
    await vi.advanceTimersByTimeAsync(WINDOW)
    const pulsed = client.sent.slice(1)
    expect(pulsed.map((b) => b.at - burstAt)).toEqual([0, 100, 200, 300, 400, 500])
    // Each trailing beat reports what was true when it was sent, not when it was asked for.
    expect(pulsed.map((b) => b.body.active_tasks)).toEqual([0, 90, 190, 290, 390, 490])
    await loop.stop()
  })

  it('the trailing beat carries the last snapshot (the idle state after the burst)', async () => {
    const { client, state, loop } = await startedLoop()
    state.active = 1
    loop.pulse()
    await vi.advanceTimersByTimeAsync(1)
    state.active = 5
    loop.pulse()
    state.active = 0
    loop.pulse()
    await vi.advanceTimersByTimeAsync(WINDOW)
    expect(client.sent.map((b) => b.body.active_tasks)).toEqual([0, 1, 0])
    await loop.stop()
  })

  it('a pulse while a beat is in flight waits for it: never two in flight', async () => {
    const { client, state, loop } = await startedLoop(WINDOW * 3)
    const startedAt = client.sent[0]?.at ?? 0
    // The first beat is still in flight (it is answered 3 windows after it started): the pulse waits for that.
    state.active = 2
    loop.pulse()
    await vi.advanceTimersByTimeAsync(WINDOW / 2)
    expect(client.sent).toHaveLength(1)
    await vi.advanceTimersByTimeAsync(WINDOW / 2)
    expect(client.sent).toHaveLength(2)
    expect(client.sent[1]?.at).toBe(startedAt + WINDOW * 3)
    expect(client.sent[1]?.body.active_tasks).toBe(2)
    for (let i = 0; i < 50; i++) {
      loop.pulse()
      await vi.advanceTimersByTimeAsync(20)
    }
    expect(client.counts.maxInFlight).toBe(1)
    await loop.stop()
  })

  it('regular beats go on at their interval alongside pulses, on the grid every loop shares', async () => {
    const client = fakeClient()
    const loop = new HeartbeatLoop({ client, intervalMs: 1000, pulseWindowMs: WINDOW, snapshot: () => ({}) })
    vi.setSystemTime(1_700_000_000_000) // on the 1 s grid, so the regular beats fall on whole seconds from the start
    const startedAt = Date.now()
    loop.start()
    await vi.advanceTimersByTimeAsync(3500)
    expect(client.sent.map((b) => b.at - startedAt)).toEqual([0, 1000, 2000, 3000])
    loop.pulse()
    await vi.advanceTimersByTimeAsync(1000)
    // Regular beats keep to the shared grid of the interval: the pulse beat at 3500 does not move the one at 4000.
    expect(client.sent.map((b) => b.at - startedAt)).toEqual([0, 1000, 2000, 3000, 3500, 4000])
    await loop.stop()
  })

  it('a regular beat opens no window: a pulse right after it beats at once', async () => {
    const client = fakeClient()
    const loop = new HeartbeatLoop({
      client,
      intervalMs: 60_000,
      pulseWindowMs: WINDOW,
      snapshot: () => ({}),
    })
    loop.start()
    await vi.advanceTimersByTimeAsync(1)
    expect(client.sent).toHaveLength(1)
    loop.pulse()
    await vi.advanceTimersByTimeAsync(0)
    expect(client.sent).toHaveLength(2)
    expect((client.sent[1]?.at ?? 0) - (client.sent[0]?.at ?? 0)).toBe(1)
    await loop.stop()
  })

  it('stop() cancels a pending trailing beat and leaves no timer behind', async () => {
    const { client, loop } = await startedLoop()
    loop.pulse()
    await vi.advanceTimersByTimeAsync(1)
    loop.pulse()
    expect(client.sent).toHaveLength(2)
    expect(vi.getTimerCount()).toBe(1)
    await loop.stop()
    expect(vi.getTimerCount()).toBe(0)
    await vi.advanceTimersByTimeAsync(WINDOW * 10)
    expect(client.sent).toHaveLength(2)
    // A pulse after stop() is ignored.
    loop.pulse()
    await vi.advanceTimersByTimeAsync(WINDOW * 10)
    expect(client.sent).toHaveLength(2)
    expect(vi.getTimerCount()).toBe(0)
  })

  it('pulseWindowMs 0 beats on every pulse once the previous beat is answered', async () => {
    const client = fakeClient()
    const loop = new HeartbeatLoop({ client, intervalMs: 60_000, pulseWindowMs: 0, snapshot: () => ({}) })
    loop.start()
    await vi.advanceTimersByTimeAsync(10)
    for (let i = 0; i < 3; i++) {
      loop.pulse()
      await vi.advanceTimersByTimeAsync(1)
    }
    expect(client.sent).toHaveLength(4)
    await loop.stop()
  })

  it('refuses a negative or non-numeric pulseWindowMs, naming the option', () => {
    for (const pulseWindowMs of [-1, Number.NaN]) {
      const make = () =>
        new HeartbeatLoop({ client: fakeClient(), pulseWindowMs, snapshot: () => ({}) }).start()
      expect(make).toThrow(/pulseWindowMs: got .*expected a number of milliseconds/)
      expect(make).toThrow(
        expect.objectContaining({ code: 'HEARTBEAT_PULSE_WINDOW_INVALID', path: 'pulseWindowMs' }),
      )
    }
  })
})
