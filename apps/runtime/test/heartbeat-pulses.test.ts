import { randomUUID } from 'node:crypto'
import { mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { silentLogger } from '@molecule/core'
import { type RunningDevPlatform, startDevPlatform } from '@molecule/dev-platform'
import { until } from '@molecule/test-support'
import { afterEach, describe, expect, it } from 'vitest'
import { type RunningRuntime, startRuntime } from '../src/index.js'
import { platformRequestLog } from './support/platform-requests.js'
import { inProcessEnv, sendBody } from './support/runtime-process.js'

let runtime: RunningRuntime | undefined
let platform: RunningDevPlatform | undefined
afterEach(async () => {
  await runtime?.stop('test')
  await platform?.close()
  runtime = undefined
  platform = undefined
})

const WINDOW_MS = 1000
/** Scheduling and request latency on a shared 2-core machine. */
const SLACK_MS = 150

const DAY_MS = 86_400_000

/**
 * A heartbeat interval whose next regular beat is at least ten minutes away. Regular beats fall on the grid of
 * multiples of the interval that every loop of the process shares (`alignedDelay`), not an interval after the start:
 * with 60 s, one run in fifteen put a regular beat inside the burst, a few ms from a pulsed one. Whole days keep the
 * timer far below node's 24.8-day limit; some multiple of a day always has its next grid point far enough away.
 */
function intervalWithNoBeatSoon(now = Date.now()): number {
  for (let days = 1; days <= 20; days++) {
    const interval = days * DAY_MS
    if (interval - (now % interval) >= 600_000) return interval
  }
  throw new Error('no whole-day heartbeat interval has its next beat ten minutes away')
}

/** Sends `total` tasks, `concurrency` at a time; resolves with the time the last answer arrived. */
async function burst(url: string, total: number, concurrency: number): Promise<number> {
  let next = 0
  let lastAnswerAt = 0
  const worker = async (): Promise<void> => {
    while (next < total) {
      const i = next++
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(sendBody(`task ${i}`, i)),
      })
      const json = (await res.json()) as { result?: { parts?: Array<{ text?: string }> } }
      expect(json.result?.parts?.[0]?.text).toBe(`task ${i}`)
      lastAnswerAt = Date.now()
    }
  }
  await Promise.all(Array.from({ length: concurrency }, worker))
  return lastAnswerAt
}

describe('heartbeats of a busy workspace', () => {
  it('a burst of 200 tasks reaches the platform as at most one heartbeat per window, ending idle', async () => {
    const log = platformRequestLog()
    platform = await startDevPlatform({ port: 0, logger: log.logger })
    const root = await mkdtemp(join(tmpdir(), 'molecule-heartbeat-pulses-'))
    await writeFile(
      join(root, 'config.yaml'),
      'name: Busy\nruntime: echo\na2a:\n  push_notifications: false\n',
    )
    const workspaceId = randomUUID()
    runtime = await startRuntime({
      logger: silentLogger,
      env: inProcessEnv(root, workspaceId, platform.url, {
        HOSTNAME: '127.0.0.1',
        // Only pulses count: the regular beat comes once at start, then not within this test.
        MOLECULE_HEARTBEAT_INTERVAL_MS: String(intervalWithNoBeatSoon()),
        MOLECULE_HEARTBEAT_PULSE_WINDOW_MS: String(WINDOW_MS),
      }),
    })
    await runtime.registered
    const heartbeats = () => log.requests.filter((r) => r.path === '/registry/heartbeat')
    await until(() => heartbeats().length >= 1, 10_000, 'the first heartbeat')
    // The first beat opens a window; start the burst after it.
    await new Promise((r) => setTimeout(r, WINDOW_MS + 100))

    const burstAt = Date.now()
    const lastAnswerAt = await burst(`http://127.0.0.1:${runtime.port}/`, 200, 20)
    // Idle within one window (and the slack) after the last task finished.
    await until(
      () => {
        const ws = platform?.state.get(workspaceId)
        return ws?.active_tasks === 0 && ws.current_task === '' && heartbeats().some((r) => r.at >= burstAt)
      },
      WINDOW_MS + 1000,
      'the idle state on the platform',
    )
    expect(Date.now() - lastAnswerAt).toBeLessThanOrEqual(WINDOW_MS + SLACK_MS * 3)
    // Nothing else comes: the trailing beat was the last one.
    await new Promise((r) => setTimeout(r, WINDOW_MS + SLACK_MS))
    const during = heartbeats().filter((r) => r.at >= burstAt)
    expect(during.every((r) => r.status === 200)).toBe(true)
    const gaps = during.slice(1).map((r, i) => r.at - (during[i]?.at ?? 0))
    for (const gap of gaps) expect(gap).toBeGreaterThanOrEqual(WINDOW_MS - SLACK_MS)
    // One immediate beat when the burst began, then at most one per window it lasted, plus the trailing one.
    const windows = Math.ceil((lastAnswerAt - burstAt) / WINDOW_MS)
    expect(during.length).toBeGreaterThanOrEqual(1)
    expect(during.length).toBeLessThanOrEqual(windows + 2)
    const ws = platform.state.get(workspaceId)
    expect(ws?.active_tasks).toBe(0)
    expect(ws?.current_task).toBe('')
  })
})
