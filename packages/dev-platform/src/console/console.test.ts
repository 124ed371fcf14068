import { randomUUID } from 'node:crypto'
import { credentialSamples, leakedPiece } from '@molecule/test-support'
import { afterEach, describe, expect, it } from 'vitest'
import { startTestPlatform, type TestPlatform } from '../test-helpers.js'

let p: TestPlatform | undefined
afterEach(async () => {
  await p?.close()
  p = undefined
})

type Frame = { event: string; data: Record<string, unknown> }

/** Reads the console stream's frames (bounded in count and time) until `done` says so. */
async function readStream(
  url: string,
  cookie: string,
  done: (frames: Frame[]) => boolean,
  act: () => Promise<void> = async () => {},
): Promise<Frame[]> {
  const res = await fetch(url, { headers: { Cookie: cookie }, signal: AbortSignal.timeout(5_000) })
  expect(res.status).toBe(200)
  expect(res.headers.get('content-type')).toContain('text/event-stream')
  const reader = (res.body as ReadableStream<Uint8Array>).getReader()
  const decoder = new TextDecoder()
  const frames: Frame[] = []
  let buffer = ''
  let acted = false
  for (let reads = 0; reads < 500; reads++) {
    const { value, done: ended } = await reader.read()
    if (ended) break
    buffer += decoder.decode(value, { stream: true })
    for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
      const chunk = buffer.slice(0, end)
      buffer = buffer.slice(end + 2)
      const event = /^event: (.+)$/m.exec(chunk)?.[1]
      const data = /^data: (.+)$/m.exec(chunk)?.[1]
      if (event && data) frames.push({ event, data: JSON.parse(data) })
    }
    if (!acted && frames.length > 0) {
      acted = true
      await act()
    }
    if (done(frames)) break
  }
  await reader.cancel()
  return frames
}

async function openConsole(platform: TestPlatform): Promise<{ html: string; cookie: string }> {
  const res = await fetch(`${platform.url}/`)
  expect(res.status).toBe(200)
  const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0] ?? ''
  return { html: await res.text(), cookie }
}

describe('dev console', () => {
  it('serves the page with a session cookie (HttpOnly, SameSite=Strict) and its script and styles', async () => {
    p = await startTestPlatform({ consoleFlushMs: 10 })
    const res = await fetch(`${p.url}/`)
    expect(res.headers.get('content-type')).toContain('text/html')
    expect(res.headers.get('set-cookie')).toMatch(
      /^molecule_console=[\w-]{40,}; Path=\/; HttpOnly; SameSite=Strict$/,
    )
    const html = await res.text()
    expect(html).toContain('<h2 id="approvals-title">Approvals</h2>')
    expect(html).toContain('<script type="module" src="/console/static/console.js">')
    const script = await fetch(`${p.url}/console/static/console.js`)
    expect(script.headers.get('content-type')).toContain('text/javascript')
    const source = await script.text()
    expect(source).toContain("new EventSource('/console/stream')")
    // Tiny: no framework runtime.
    expect(source.length).toBeLessThan(20_000)
    expect((await fetch(`${p.url}/console/static/console.css`)).status).toBe(200)
    expect((await fetch(`${p.url}/console/static/other.js`)).status).toBe(404)
  })

  it('streams a snapshot, then batches: heartbeats, changed rows, messages, memories and approvals', async () => {
    p = await startTestPlatform({ consoleFlushMs: 10 })
    const platform = p
    const a = await platform.register(randomUUID(), { agent_card: { name: 'alpha' } })
    const poll = await platform.createWorkspace({ name: 'inbox', external: true, delivery_mode: 'poll' })
    const { cookie } = await openConsole(platform)
    const frames = await readStream(
      `${platform.url}/console/stream`,
      cookie,
      (all) => all.some((f) => f.event === 'batch' && Array.isArray(f.data.approvals)),
      async () => {
        await platform.call('POST', '/registry/heartbeat', {
          token: a.token,
          body: { workspace_id: a.id, current_task: 'writing the release notes', active_tasks: 1 },
        })
        await platform.call('POST', `/workspaces/${poll.id}/a2a`, {
          body: {
            jsonrpc: '2.0',
            id: 1,
            method: 'message/send',
            params: { message: { parts: [{ kind: 'text', text: 'hi inbox' }] } },
          },
        })
        await platform.call('POST', `/workspaces/${a.id}/memories`, {
          token: a.token,
          body: { content: 'the release is on Friday', scope: 'LOCAL' },
        })
        await platform.call('POST', `/workspaces/${a.id}/approvals`, {
          token: a.token,
          body: { action: 'deploy', reason: 'ship it' },
        })
      },
    )
    const snapshot = frames[0]?.data as {
      workspaces: Array<{ id: string; name: string; deliveryMode: string }>
    }
    expect(frames[0]?.event).toBe('snapshot')
    expect(snapshot.workspaces.map((w) => w.id).sort()).toEqual([a.id, poll.id].sort())
    const batches = frames.filter((f) => f.event === 'batch').map((f) => f.data)
    const merged = Object.assign({}, ...batches.map((b) => ({ ...b })))
    expect(batches.some((b) => (b.beats as Record<string, number> | undefined)?.[a.id])).toBe(true)
    const rows = batches.flatMap((b) => (b.workspaces as Array<Record<string, unknown>> | undefined) ?? [])
    expect(rows).toContainEqual(
      expect.objectContaining({ id: a.id, currentTask: 'writing the release notes', activeTasks: 1 }),
    )
    expect(rows).toContainEqual(expect.objectContaining({ id: poll.id, deliveryMode: 'poll', inboxDepth: 1 }))
    const timeline = batches.flatMap((b) => (b.timeline as Array<Record<string, unknown>> | undefined) ?? [])
    expect(timeline).toContainEqual(
      expect.objectContaining({
        from: { id: null, name: 'user' },
        to: { id: poll.id, name: 'inbox' },
        text: 'hi inbox',
        status: 'inbox',
      }),
    )
    expect(merged.memories).toContainEqual(
      expect.objectContaining({ content: 'the release is on Friday', scope: 'LOCAL' }),
    )
    expect(merged.approvals).toContainEqual(
      expect.objectContaining({ action: 'deploy', reason: 'ship it', status: 'pending' }),
    )
  })

  it('a console session decides an approval on the real route; without it the route still wants a token', async () => {
    p = await startTestPlatform({ consoleFlushMs: 10 })
    const a = await p.register()
    const asked = await p.call('POST', `/workspaces/${a.id}/approvals`, {
      token: a.token,
      body: { action: 'deploy' },
    })
    const decidePath = `/workspaces/${a.id}/approvals/${asked.body.approval_id}/decide`
    expect((await p.call('POST', decidePath, { body: { decision: 'approved' } })).status).toBe(401)
    // A made-up cookie is no session.
    const forged = await p.call('POST', decidePath, {
      body: { decision: 'approved' },
      headers: { Cookie: 'molecule_console=forged' },
    })
    expect(forged.status).toBe(401)
    // The session opens the decide route only, never the workspace's other routes.
    const { cookie } = await openConsole(p)
    expect(
      (await p.call('GET', `/workspaces/${a.id}/memories`, { headers: { Cookie: cookie } })).status,
    ).toBe(401)
    const decided = await p.call('POST', decidePath, {
      body: { decision: 'approved', decided_by: 'console' },
      headers: { Cookie: cookie },
    })
    expect(decided.status).toBe(200)
    expect(p.state.approvals.get(asked.body.approval_id)?.status).toBe('approved')
    expect(p.state.events.recorded.map((e) => e.event)).toContain('APPROVAL_APPROVED')
    // A page from another site cannot use the cookie (SameSite aside, the Origin guard refuses it).
    const foreign = await p.call('POST', decidePath, {
      body: { decision: 'denied' },
      headers: { Cookie: cookie, Origin: 'https://evil.example' },
    })
    expect(foreign.status).toBe(403)
  })

  it('with an admin token: a sign-in page, then a session from POST /console/session', async () => {
    const admin = `adm-${randomUUID()}`
    p = await startTestPlatform({ adminToken: admin })
    const page = await fetch(`${p.url}/`)
    expect(page.headers.get('set-cookie')).toBeNull()
    const html = await page.text()
    expect(html).toContain('<label for="admin-token">Admin token</label>')
    expect(html).not.toContain('id="workspaces"')
    expect((await fetch(`${p.url}/console/stream`)).status).toBe(401)
    expect((await p.call('POST', '/console/session', { body: { token: 'wrong' } })).status).toBe(401)
    const signed = await p.call('POST', '/console/session', { body: { token: admin } })
    expect(signed.status).toBe(204)
    const cookie = (signed.headers.get('set-cookie') ?? '').split(';')[0] ?? ''
    const again = await fetch(`${p.url}/`, { headers: { Cookie: cookie } })
    expect(await again.text()).toContain('id="workspaces"')
    const frames = await readStream(`${p.url}/console/stream`, cookie, (all) => all.length > 0)
    expect(frames[0]?.event).toBe('snapshot')
  })

  it('never shows a token: texts the console echoes are masked like log lines', async () => {
    p = await startTestPlatform({ consoleFlushMs: 10 })
    const platform = p
    const samples = credentialSamples()
    const secret = samples[0]?.secret as string
    const a = await platform.register(randomUUID(), {
      agent_card: {
        name: 'alpha',
        description: 'keys',
        skills: samples.map((sample, i) => ({ id: `s${i}`, description: sample.text })),
      },
    })
    const { cookie } = await openConsole(platform)
    const frames = await readStream(
      `${platform.url}/console/stream`,
      cookie,
      (all) => all.some((f) => f.event === 'batch' && f.data.workspaces !== undefined),
      async () => {
        await platform.call('POST', '/registry/heartbeat', {
          token: a.token,
          body: { workspace_id: a.id, current_task: `use ${secret} now` },
        })
      },
    )
    const wire = JSON.stringify(frames)
    expect(wire).toContain('use ')
    expect(wire).not.toContain(secret)
    expect(wire).not.toContain(a.token)
    const page = await (
      await fetch(`${platform.url}/console/workspaces/${a.id}`, { headers: { Cookie: cookie } })
    ).text()
    expect(page).toContain('alpha')
    for (const sample of samples) expect(leakedPiece(page, sample.secret), sample.kind).toBeUndefined()
    expect(page).not.toContain(a.token)
  })

  it('the workspace page shows the agent card, its skills and the tasks it was sent', async () => {
    p = await startTestPlatform()
    const a = await p.register(randomUUID(), {
      agent_card: {
        name: 'alpha',
        description: 'answers questions',
        version: '1.2.0',
        capabilities: { streaming: true, pushNotifications: false },
        skills: [{ id: 'echo', name: 'Echo', description: 'says it back', tags: ['demo'] }],
      },
    })
    const { cookie } = await openConsole(p)
    const html = await (
      await fetch(`${p.url}/console/workspaces/${a.id}`, { headers: { Cookie: cookie } })
    ).text()
    expect(html).toContain('<strong>Echo</strong> says it back')
    expect(html).toContain('Capabilities: streaming')
    expect(html).toContain('No tasks yet.')
    expect((await fetch(`${p.url}/console/workspaces/${randomUUID()}`)).status).toBe(404)
  })

  it('console: false serves nothing at /', async () => {
    p = await startTestPlatform({ console: false })
    expect((await fetch(`${p.url}/`)).status).toBe(404)
    expect((await fetch(`${p.url}/console/stream`)).status).toBe(404)
  })
})
