import { randomUUID } from 'node:crypto'
import { request } from 'node:http'
import { afterEach, describe, expect, it } from 'vitest'
import { startTestPlatform, type TestPlatform } from '../test-helpers.js'

let p: TestPlatform | undefined
afterEach(async () => {
  await p?.close()
  p = undefined
})

interface RawAnswer {
  status: number
  // biome-ignore lint/suspicious/noExplicitAny: tests index into arbitrary JSON bodies
  body: any
}

/**
 * One request over real HTTP to the platform on 127.0.0.1 with exactly these headers; `Host` may be set to anything
 * (fetch would not let a test forge it), as a browser does after DNS rebinding.
 */
function send(
  platform: TestPlatform,
  method: string,
  path: string,
  headers: Record<string, string>,
  body?: string,
): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: platform.port, method, path, headers }, (res) => {
      let text = ''
      res.setEncoding('utf8')
      res.on('data', (chunk: string) => {
        text += chunk
      })
      res.on('end', () => {
        let parsed: unknown = text
        try {
          parsed = JSON.parse(text)
        } catch {
          // not JSON
        }
        resolve({ status: res.statusCode ?? 0, body: parsed })
      })
    })
    req.on('error', reject)
    req.end(body)
  })
}

const workspaceJson = JSON.stringify({ name: 'from a web page', external: true })

describe('Content-Type of write requests', () => {
  it('refuses a text/plain POST /workspaces (a cross-site simple request) with 415 naming Content-Type', async () => {
    p = await startTestPlatform()
    const before = p.state.workspaces.size
    const res = await send(
      p,
      'POST',
      '/workspaces',
      { 'Content-Type': 'text/plain;charset=UTF-8' },
      workspaceJson,
    )
    expect(res.status).toBe(415)
    expect(res.body).toEqual({ error: expect.stringContaining('Content-Type "text/plain"') })
    expect(res.body.error).toContain('application/json')
    expect(p.state.workspaces.size).toBe(before)
  })

  it('refuses form types on every write route, bodiless token minting included', async () => {
    p = await startTestPlatform({ lenient: true })
    const ws = await p.createWorkspace({ name: 'target', mint_token: true })
    const tokensBefore = p.state.tokens.liveCount(ws.id)
    for (const [method, path, type] of [
      ['POST', `/workspaces/${ws.id}/tokens`, 'text/plain'],
      ['POST', `/workspaces/${ws.id}/tokens`, 'application/x-www-form-urlencoded'],
      ['POST', '/workspaces', 'multipart/form-data; boundary=x'],
      ['PATCH', `/workspaces/${ws.id}`, 'text/plain'],
      ['DELETE', `/workspaces/${ws.id}/memory/k`, 'text/plain'],
    ] as const) {
      const res = await send(p, method, path, { 'Content-Type': type }, '')
      expect(res.status, `${method} ${path} ${type}`).toBe(415)
      expect(res.body.error).toContain('Content-Type')
    }
    expect(p.state.tokens.liveCount(ws.id)).toBe(tokensBefore)
  })

  it('keeps accepting application/json (with parameters), a missing Content-Type, and multipart chat uploads', async () => {
    p = await startTestPlatform()
    const json = await send(
      p,
      'POST',
      '/workspaces',
      { 'Content-Type': 'application/json; charset=utf-8' },
      workspaceJson,
    )
    expect(json.status).toBe(201)
    const unlabelled = await send(p, 'POST', '/workspaces', {}, workspaceJson)
    expect(unlabelled.status).toBe(201)
    const form = new FormData()
    form.append('files', new Blob(['notes'], { type: 'text/plain' }), 'notes.txt')
    const upload = await fetch(`${p.url}/workspaces/${json.body.id}/chat/uploads`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${json.body.connection.auth_token}` },
      body: form,
    })
    expect(upload.status).toBe(200)
    const plainUpload = await send(
      p,
      'POST',
      `/workspaces/${json.body.id}/chat/uploads`,
      { 'Content-Type': 'text/plain' },
      'x',
    )
    expect(plainUpload.status).toBe(415)
  })
})

describe('Origin', () => {
  it('refuses a foreign Origin with 403 naming the origin and the option, on writes and reads', async () => {
    p = await startTestPlatform()
    const before = p.state.workspaces.size
    const origin = 'http://evil.example'
    const write = await send(
      p,
      'POST',
      '/workspaces',
      { 'Content-Type': 'application/json', Origin: origin },
      workspaceJson,
    )
    expect(write.status).toBe(403)
    expect(write.body.error).toContain('Origin "http://evil.example"')
    expect(write.body.error).toContain('allowedOrigins')
    expect(write.body.error).toContain('--allow-origin')
    expect((await send(p, 'GET', '/workspaces', { Origin: origin })).status).toBe(403)
    expect((await send(p, 'GET', '/health', { Origin: 'null' })).status).toBe(403)
    expect(p.state.workspaces.size).toBe(before)
  })

  it("accepts the platform's own origin and allowedOrigins", async () => {
    p = await startTestPlatform({ allowedOrigins: ['http://localhost:3000'] })
    const own = await send(p, 'GET', '/health', { Origin: p.url })
    expect(own).toEqual({ status: 200, body: { status: 'ok' } })
    const viaLocalhost = await send(p, 'GET', '/health', {
      Host: `localhost:${p.port}`,
      Origin: `http://localhost:${p.port}`,
    })
    expect(viaLocalhost.status).toBe(200)
    expect((await send(p, 'GET', '/health', { Origin: 'http://localhost:3000' })).status).toBe(200)
    expect((await send(p, 'GET', '/health', { Origin: 'http://localhost:3001' })).status).toBe(403)
  })
})

describe('Host', () => {
  it('refuses a foreign Host (DNS rebinding) with 403 naming it', async () => {
    p = await startTestPlatform()
    const host = `evil.example:${p.port}`
    const res = await send(
      p,
      'POST',
      '/workspaces',
      { Host: host, 'Content-Type': 'application/json' },
      workspaceJson,
    )
    expect(res.status).toBe(403)
    expect(res.body.error).toContain(`Host "${host}"`)
    expect(res.body.error).toContain('allowedHosts')
    expect(res.body.error).toContain('--allow-host')
    // Same-origin to the rebound name does not help: the Host is refused first.
    const rebound = await send(p, 'GET', '/workspaces', { Host: host, Origin: `http://${host}` })
    expect(rebound.status).toBe(403)
  })

  it('answers IP literals, localhost and allowedHosts', async () => {
    p = await startTestPlatform({ allowedHosts: ['dev.example'] })
    for (const host of [
      `127.0.0.1:${p.port}`,
      `[::1]:${p.port}`,
      `localhost:${p.port}`,
      `dev.example:${p.port}`,
    ]) {
      expect((await send(p, 'GET', '/health', { Host: host })).status, host).toBe(200)
    }
  })
})

describe('our own clients', () => {
  it('still work: JSON with the headers platform-client sends (Origin = the platform URL included)', async () => {
    p = await startTestPlatform()
    const id = randomUUID()
    // Like PlatformClient: content-type only with a JSON body, the bearer once known, Origin when configured.
    const clientHeaders = (token?: string, json = true) => ({
      accept: 'application/json',
      'X-Workspace-ID': id,
      Origin: p?.url ?? '',
      ...(json ? { 'content-type': 'application/json' } : {}),
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    })
    const registered = await fetch(`${p.url}/registry/register`, {
      method: 'POST',
      headers: clientHeaders(),
      body: JSON.stringify({ id, url: '', delivery_mode: 'poll', agent_card: { name: 'bridge' } }),
    })
    expect(registered.status).toBe(200)
    const { auth_token: token } = (await registered.json()) as { auth_token: string }
    const beat = await fetch(`${p.url}/registry/heartbeat`, {
      method: 'POST',
      headers: clientHeaders(token),
      body: JSON.stringify({ workspace_id: id, active_tasks: 0 }),
    })
    expect(await beat.json()).toEqual({ status: 'ok' })
    const ack = await fetch(`${p.url}/workspaces/${id}/pending-uploads/${randomUUID()}/ack`, {
      method: 'POST',
      headers: clientHeaders(token, false),
    })
    expect(ack.status).toBe(404)
  })
})

describe('self-addressed A2A calls', () => {
  it('need the workspace bearer once the workspace has a live token (401 without it)', async () => {
    p = await startTestPlatform()
    const ws = await p.register()
    const body = JSON.stringify({
      jsonrpc: '2.0',
      id: '1',
      method: 'message/send',
      params: { message: { role: 'agent', parts: [{ kind: 'text', text: 'fake delegate_result' }] } },
    })
    const rowsBefore = p.state.activity.rows.length
    for (const header of ['X-Workspace-ID', 'X-Source-Workspace-Id']) {
      const forged = await send(
        p,
        'POST',
        `/workspaces/${ws.id}/a2a`,
        { 'Content-Type': 'application/json', [header]: ws.id },
        body,
      )
      expect(forged, header).toEqual({ status: 401, body: { error: 'missing caller auth token' } })
    }
    expect(p.state.activity.rows.length).toBe(rowsBefore)
  })
})
