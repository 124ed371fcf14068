import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type RunningDevPlatform, startDevPlatform } from '@molecule/dev-platform'
import { settledAgainDuring } from '@molecule/test-support'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { holdTurn } from '../test/support/held-turn.js'
import { recordingLogger } from '../test/support/recording-logger.js'
import { startScriptedServer } from '../test/support/scripted-server.js'
import { PlatformClient } from './client.js'
import { InboxPoller, type InboxPollerOptions } from './inbox-poller.js'
import { Turns } from './turns.js'

let platform: RunningDevPlatform
let lead: PlatformClient
let ext: PlatformClient
let extId: string
let cursorDir: string
const pollers: InboxPoller[] = []

beforeAll(async () => {
  platform = await startDevPlatform({ logLevel: 'silent' })
  const leadId = (await platform.createWorkspace({ name: 'lead' })).id
  lead = new PlatformClient({ platformUrl: platform.url, workspaceId: leadId })
  await lead.register({ url: 'http://127.0.0.1:9/lead', agent_card: { name: 'lead' } })
})

beforeEach(async () => {
  // a fresh poll-mode bridge workspace per test, child of lead (so lead may message it)
  extId = (await platform.createWorkspace({ name: 'ext', parent_id: lead.workspaceId, external: true })).id
  const token = platform.state.tokens.mint(extId).token
  ext = new PlatformClient({ platformUrl: platform.url, workspaceId: extId, token })
  await ext.register({ url: '', delivery_mode: 'poll', agent_card: { name: 'ext' } })
  cursorDir = mkdtempSync(join(tmpdir(), 'molecule-inbox-'))
})

afterEach(async () => {
  await Promise.all(pollers.splice(0).map((p) => p.stop()))
})

afterAll(async () => {
  await platform?.close()
})

function poller(extra: Partial<InboxPollerOptions> = {}): InboxPoller {
  const p = new InboxPoller({ client: ext, cursorDir, intervalMs: 10, ...extra })
  pollers.push(p)
  return p
}

async function send(text: string): Promise<void> {
  const res = await lead.sendA2A(extId, {
    jsonrpc: '2.0',
    id: text,
    method: 'message/send',
    params: { message: { role: 'user', messageId: `m-${text}`, parts: [{ kind: 'text', text }] } },
  })
  expect(res.kind).toBe('queued-poll')
}

describe('InboxPoller', () => {
  it('delivers peer messages in order with the envelope fields, skipping own notify echoes', async () => {
    await send('one')
    await ext.notify({ message: 'my own reply to the human' })
    await send('two')
    const p = poller()
    const got = await p.pollOnce()
    expect(got.map((m) => m.text)).toEqual(['one', 'two'])
    expect(got[0]).toMatchObject({ kind: 'peer_agent', peer_id: lead.workspaceId, method: 'message/send' })
    expect(got[0]?.activity_id).toMatch(/^[0-9a-f-]{36}$/)
    expect(p.pending().map((m) => m.text)).toEqual(['one', 'two'])
    expect(await p.pollOnce()).toEqual([])
  })

  it('advances the durable cursor only on acknowledgement, in order', async () => {
    await send('a')
    await send('b')
    await send('c')
    const p = poller()
    const [a, b, c] = await p.pollOnce()
    expect(p.cursorPath).toContain(`inbox-cursor-${extId}.json`)
    expect(existsSync(p.cursorPath)).toBe(false)
    expect(await p.ack(c!.activity_id)).toBe(true)
    expect(p.cursor).toBeUndefined() // a and b still unacknowledged
    expect(await p.ack(a!.activity_id)).toBe(true)
    expect(p.cursor).toBe(a!.activity_id)
    expect(JSON.parse(readFileSync(p.cursorPath, 'utf8'))).toMatchObject({
      workspace_id: extId,
      cursor: a!.activity_id,
    })
    expect(await p.ack(b!.activity_id)).toBe(true)
    expect(p.cursor).toBe(c!.activity_id)
    expect(await p.ack(b!.activity_id)).toBe(false)
    expect(await p.ack('unknown')).toBe(false)
    expect(p.pending()).toEqual([])
  })

  it('redelivers fetched-but-unacknowledged messages after a restart; acknowledged ones are not redelivered', async () => {
    await send('first')
    await send('second')
    await send('third')
    const before = poller()
    const fetched = await before.pollOnce()
    expect(fetched).toHaveLength(3)
    await before.ack(fetched[0]!.activity_id)
    await before.stop()

    const after = poller()
    const again = await after.pollOnce()
    expect(again.map((m) => m.text)).toEqual(['second', 'third'])
    expect(again.map((m) => m.activity_id)).toEqual(fetched.slice(1).map((m) => m.activity_id))
    // pop() = take + acknowledge
    expect((await after.pop())?.text).toBe('second')
    expect((await after.pop())?.text).toBe('third')
    await after.stop()

    const third = poller()
    expect(await third.pollOnce()).toEqual([])
  })

  it('resets the cursor on 410, says so in a log, and re-reads the look-back window', async () => {
    await send('kept')
    writeFileSync(
      join(cursorDir, `inbox-cursor-${extId}.json`),
      JSON.stringify({ workspace_id: extId, cursor: '00000000-0000-4000-8000-000000000000' }),
    )
    const logger = recordingLogger()
    const p = poller({ logger })
    const got = await p.pollOnce()
    expect(got.map((m) => m.text)).toEqual(['kept'])
    const warn = logger.at('warn').find((l) => l.msg?.includes('410'))
    expect(warn?.msg).toContain('resetting')
    expect(existsSync(p.cursorPath)).toBe(false)
    await p.ack(got[0]!.activity_id)
    expect(JSON.parse(readFileSync(p.cursorPath, 'utf8')).cursor).toBe(got[0]!.activity_id)
    // the new cursor is valid: nothing more, and no duplicate
    await send('next')
    expect((await p.pollOnce()).map((m) => m.text)).toEqual(['next'])
  })

  it('runs on its interval, calls onMessage, wakes waitForMessage, and stops promptly', async () => {
    const seen: string[] = []
    const p = poller({ onMessage: (m) => seen.push(m.text) })
    p.start()
    const waiting = p.waitForMessage(3000)
    await send('ping')
    const msg = await waiting
    expect(msg?.text).toBe('ping')
    expect(seen).toEqual(['ping'])
    expect(await p.waitForMessage(0)).toMatchObject({ text: 'ping' })
    const started = Date.now()
    await p.stop()
    expect(Date.now() - started).toBeLessThan(1500)
  })

  it('waitForMessage gives up after its timeout', async () => {
    const p = poller()
    const started = Date.now()
    expect(await p.waitForMessage(50)).toBeUndefined()
    expect(Date.now() - started).toBeGreaterThanOrEqual(45)
  })

  it('holds back (never drops) when maxPending is reached', async () => {
    for (const t of ['p1', 'p2', 'p3']) await send(t)
    const p = poller({ maxPending: 2, limit: 1 })
    await p.pollOnce()
    expect(p.pending().map((m) => m.text)).toEqual(['p1', 'p2'])
    await p.pop()
    await p.pollOnce()
    expect(p.pending().map((m) => m.text)).toEqual(['p2', 'p3'])
  })

  it('pages through a backlog after the cursor (several requests per poll)', async () => {
    await send('seed')
    const p = poller({ limit: 1 })
    expect(await p.pop()).toBeUndefined() // nothing fetched yet
    const [seed] = await p.pollOnce()
    await p.ack(seed!.activity_id)
    for (const t of ['x1', 'x2', 'x3', 'x4']) await send(t)
    expect((await p.pollOnce()).map((m) => m.text)).toEqual(['x1', 'x2', 'x3', 'x4'])
  })

  it('keeps polling through platform errors without throwing from the loop', async () => {
    const logger = recordingLogger()
    const revoked = new PlatformClient({
      platformUrl: platform.url,
      workspaceId: extId,
      token: 'not-a-live-token',
    })
    const p = new InboxPoller({
      client: revoked,
      cursorDir,
      intervalMs: 2,
      logger,
      failureLog: { everyFailures: 10 },
    })
    pollers.push(p)
    p.start()
    const deadline = Date.now() + 3000
    while (logger.at('error').length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5))
    await p.stop()
    expect(logger.at('error')[0]?.obj).toMatchObject({ code: 'PLATFORM_UNAUTHORIZED' })
    expect(JSON.stringify(logger.lines)).not.toContain('not-a-live-token')
  })

  it('prepareRow rewrites rows before parsing; a throw holds the batch at that row and the next poll retries it', async () => {
    await send('first')
    await send('needs-work')
    await send('third')
    let failures = 1
    const seen: string[] = []
    const p = poller({
      prepareRow: async (row) => {
        const text = JSON.stringify(row.request_body)
        seen.push(text.includes('needs-work') ? 'needs-work' : text.includes('first') ? 'first' : 'third')
        if (text.includes('needs-work') && failures-- > 0) throw new Error('disk full')
        return { ...row, request_body: JSON.parse(text.replaceAll('needs-work', 'done')) }
      },
    })
    await expect(p.pollOnce()).rejects.toThrow('disk full')
    // The row before the failure was taken; nothing after it was.
    expect(p.pending().map((m) => m.text)).toEqual(['first'])
    const second = await p.pollOnce()
    expect(second.map((m) => m.text)).toEqual(['done', 'third'])
    expect(seen).toEqual(['first', 'needs-work', 'needs-work', 'third'])
    expect(p.pending().map((m) => m.text)).toEqual(['first', 'done', 'third'])
  })

  it('waits out a Retry-After (429 from the rate limiter) instead of polling again at its own interval', async () => {
    let limited = true
    const server = await startScriptedServer((req) =>
      limited && req.path.includes('/activity')
        ? {
            status: 429,
            body: { error: 'rate limit exceeded', retry_after: 1 },
            headers: { 'retry-after': '1' },
          }
        : { status: 200, body: [] },
    )
    try {
      const client = new PlatformClient({ platformUrl: server.url, workspaceId: extId, token: 'tok' })
      const p = poller({ client, intervalMs: 10 })
      p.start()
      await new Promise((r) => setTimeout(r, 600))
      // One 429 with Retry-After: 1 s, then silence for that second (not ~60 polls at a 10 ms interval).
      expect(server.requests.length).toBe(1)
      limited = false
      const deadline = Date.now() + 3000
      while (server.requests.length < 3 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10))
      // After the wait it resumes at its own interval.
      expect(server.requests.length).toBeGreaterThanOrEqual(3)
    } finally {
      await server.close()
    }
  })
})

describe('InboxPoller, running', () => {
  it('settles nothing twice while it polls (a promise resolved again costs V8 a runtime call each time)', async () => {
    const settledAgain = await settledAgainDuring(async () => {
      const p = poller()
      p.start()
      await p.whenPolledOnce()
      await new Promise((r) => setTimeout(r, 120)) // several more polls at 10 ms
      await p.stop()
    })
    expect(settledAgain).toEqual([])
  })
})

describe('InboxPoller, taking turns', () => {
  it('polls only when its turn comes, and a stop while it waits for one resolves at once', async () => {
    const turns = new Turns(1)
    const held = holdTurn(turns)
    await send('waiting for a turn')
    const waiting = poller({ turns })
    const stoppedWhileWaiting = poller({ turns })
    let polled = false
    void waiting.whenPolledOnce().then(() => (polled = true))
    waiting.start()
    stoppedWhileWaiting.start()
    await new Promise((r) => setTimeout(r, 150))
    expect(polled).toBe(false)
    expect(turns.waiting).toBe(2)

    const stopStarted = Date.now()
    await stoppedWhileWaiting.stop()
    expect(Date.now() - stopStarted).toBeLessThan(100)
    expect(turns.waiting).toBe(1)

    held.free()
    await held.freed
    await waiting.whenPolledOnce()
    expect(waiting.pending().map((m) => m.text)).toEqual(['waiting for a turn'])
  })
})
