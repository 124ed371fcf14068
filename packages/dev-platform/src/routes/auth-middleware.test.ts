import { randomUUID } from 'node:crypto'
import { afterEach, describe, expect, it } from 'vitest'
import { createDevPlatform, type DevPlatform } from '../dev-platform.js'

let platform: DevPlatform | undefined
afterEach(async () => platform?.shutdown())

async function started(options: Parameters<typeof createDevPlatform>[0] = {}) {
  platform = createDevPlatform({ logLevel: 'silent', ...options })
  const ws = await platform.createWorkspace({ name: 'ws', mint_token: true })
  return { app: platform.app, id: ws.id, token: ws.token as string }
}

const bearer = (token: string) => ({ Authorization: `Bearer ${token}` })

describe('workspaceAuth on /workspaces/:id/*', () => {
  it('leaves unknown paths and methods to the 404, whatever the credentials', async () => {
    const { app, id } = await started()
    for (const [method, path] of [
      ['GET', `/workspaces/${id}/no-such-route`],
      ['GET', `/workspaces/${id}/`],
      ['PUT', `/workspaces/${id}/activity`],
    ] as const) {
      const res = await app.request(path, { method })
      expect(res.status, `${method} ${path}`).toBe(404)
      expect(await res.text()).toBe('404 page not found')
    }
  })

  it('guards a route it does not list with WorkspaceAuth, and keeps the listed exceptions', async () => {
    const { app, id, token } = await started({ adminToken: 'operator' })
    expect(await (await app.request(`/workspaces/${id}/budget`)).json()).toEqual({
      error: 'missing workspace auth token',
    })
    expect((await app.request(`/workspaces/${id}/budget`, { headers: bearer(token) })).status).toBe(200)
    // Open: the public card.
    expect((await app.request(`/workspaces/${id}`)).status).toBe(200)
    // Admin: a workspace's own token does not delete it.
    const del = await app.request(`/workspaces/${id}`, { method: 'DELETE', headers: bearer(token) })
    expect(del.status).toBe(401)
    expect(await del.json()).toEqual({ error: 'invalid admin auth token' })
    // WorkspaceAuth plus the workspace's own live token: the admin token alone is refused.
    expect((await app.request(`/workspaces/${id}/state`, { headers: bearer('operator') })).status).toBe(401)
    expect((await app.request(`/workspaces/${id}/state`, { headers: bearer(token) })).status).toBe(200)
    // A malformed id is refused before any credential is looked at.
    const secrets = await app.request('/workspaces/not-a-uuid/secrets/values')
    expect(secrets.status).toBe(400)
    expect(await secrets.json()).toEqual({ error: 'invalid workspace ID' })
  })

  it('checks the A2A caller named by X-Workspace-ID against its own token, and lets the user through', async () => {
    const { app, id } = await started()
    const caller = await platform?.createWorkspace({ name: 'caller', mint_token: true })
    const send = (headers: Record<string, string>) =>
      app.request(`/workspaces/${id}/a2a`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', ...headers },
        body: JSON.stringify({ jsonrpc: '2.0', id: '1', method: 'message/send', params: {} }),
      })
    const missing = await send({ 'X-Workspace-ID': caller?.id ?? '' })
    expect(missing.status).toBe(401)
    expect(await missing.json()).toEqual({ error: 'missing caller auth token' })
    const wrong = await send({ 'X-Workspace-ID': caller?.id ?? '', ...bearer('nope') })
    expect(await wrong.json()).toEqual({ error: 'invalid caller auth token' })
    // The user (no caller header, no bearer) needs no credentials; the target has no URL, so 503.
    expect((await send({})).status).toBe(503)
    expect((await send({ 'X-Workspace-ID': caller?.id ?? '', ...bearer(caller?.token ?? '') })).status).toBe(
      503,
    )
  })
})

describe('ownTokenAuth on the registry', () => {
  it('validates the body before the token: a bad body is 400 even without credentials', async () => {
    const { app, id } = await started()
    const beat = (body: unknown) =>
      app.request('/registry/heartbeat', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(body),
      })
    expect((await beat({ active_tasks: 1 })).status).toBe(400)
    expect(await (await beat({ workspace_id: id })).json()).toEqual({ error: 'missing workspace auth token' })
    expect(await (await beat({ workspace_id: randomUUID() })).json()).toEqual({ status: 'ok' })
  })
})
