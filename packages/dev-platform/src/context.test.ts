import { afterEach, describe, expect, it } from 'vitest'
import { startTestPlatform, type TestPlatform } from './test-helpers.js'

let p: TestPlatform
afterEach(async () => p?.close())

describe('boot-time context', () => {
  it('instructions and shared context come from options', async () => {
    p = await startTestPlatform({
      instructions: { '*': '## Platform-Wide Rules\n### Be brief\nShort answers.' },
      sharedContext: {},
    })
    const ws = await p.register()
    const res = await p.call('GET', `/workspaces/${ws.id}/instructions/resolve`, { token: ws.token })
    expect(res.body).toEqual({
      workspace_id: ws.id,
      instructions: '## Platform-Wide Rules\n### Be brief\nShort answers.',
    })
    expect((await p.call('GET', `/workspaces/${ws.id}/shared-context`, { token: ws.token })).body).toEqual([])
    const gh = await p.call('GET', `/workspaces/${ws.id}/github-installation-token`, { token: ws.token })
    expect((await p.call('GET', `/workspaces/${ws.id}/secrets/values`, { token: ws.token })).body).toEqual({})
    expect((await p.call('GET', `/workspaces/${ws.id}/secrets/values`)).status).toBe(401)
    expect(gh).toMatchObject({ status: 404, body: { error: 'no GitHub App configured' } })
  })

  it('checkpoints: 404 before any, upsert per step, latest, list and delete', async () => {
    p = await startTestPlatform()
    const ws = await p.register()
    const t = { token: ws.token }
    const base = `/workspaces/${ws.id}/checkpoints`
    expect(await p.call('GET', `${base}/latest`, t)).toMatchObject({
      status: 404,
      body: { error: 'no checkpoints found for workspace' },
    })
    const made = await p.call('POST', base, {
      ...t,
      body: { workflow_id: 'task-9', step_name: 'llm', step_index: 1, payload: { a: 1 } },
    })
    expect(made).toMatchObject({
      status: 201,
      body: { workspace_id: ws.id, workflow_id: 'task-9', step_name: 'llm' },
    })
    await p.call('POST', base, { ...t, body: { workflow_id: 'task-9', step_name: 'llm', step_index: 2 } })
    await p.call('POST', base, { ...t, body: { workflow_id: 'task-9', step_name: 'tool', step_index: 3 } })
    expect((await p.call('GET', `${base}/latest`, t)).body).toMatchObject({
      step_name: 'tool',
      step_index: 3,
    })
    const list = await p.call('GET', `${base}/task-9`, t)
    expect(list.body.map((c: { step_index: number }) => c.step_index)).toEqual([3, 2])
    expect((await p.call('DELETE', `${base}/task-9`, t)).body).toEqual({ deleted: 2, workflow_id: 'task-9' })
    expect((await p.call('GET', `${base}/task-9`, t)).status).toBe(404)
    expect((await p.call('POST', base, { ...t, body: { step_name: 'x' } })).status).toBe(400)
  })

  it('key/value memory with versions', async () => {
    p = await startTestPlatform()
    const ws = await p.register()
    const t = { token: ws.token }
    const base = `/workspaces/${ws.id}/memory`
    expect((await p.call('POST', base, { ...t, body: { key: 'plan', value: { v: 1 } } })).body).toEqual({
      status: 'ok',
      key: 'plan',
      version: 1,
    })
    expect(
      (await p.call('POST', base, { ...t, body: { key: 'plan', value: 2, if_match_version: 5 } })).body,
    ).toEqual({
      error: 'if_match_version mismatch',
      expected_version: 5,
      current_version: 1,
    })
    expect(
      (await p.call('POST', base, { ...t, body: { key: 'plan', value: 2, if_match_version: 1 } })).body
        .version,
    ).toBe(2)
    expect((await p.call('GET', `${base}/plan`, t)).body).toMatchObject({ key: 'plan', value: 2, version: 2 })
    expect((await p.call('DELETE', `${base}/plan`, t)).body).toEqual({ status: 'deleted' })
    expect((await p.call('GET', `${base}/plan`, t)).status).toBe(404)
  })
})

describe('secrets bundle', () => {
  it('overlays workspace secrets on global ones, for the workspace’s own token only', async () => {
    const id = '0b6f7c1e-5d2a-4c8e-9a71-2f4d6e8b9c10'
    p = await startTestPlatform({
      secrets: { '*': { MODEL: 'small', REGION: 'eu' }, [id]: { MODEL: 'large' } },
      adminToken: 'operator',
    })
    const ws = await p.register(id)
    const res = await p.call('GET', `/workspaces/${id}/secrets/values`, { token: ws.token })
    expect(res.body).toEqual({ MODEL: 'large', REGION: 'eu' })
    // The admin token passes WorkspaceAuth but not the inner own-token check.
    expect((await p.call('GET', `/workspaces/${id}/secrets/values`, { token: 'operator' })).status).toBe(401)
    expect((await p.call('GET', '/workspaces/nope/secrets/values', { token: ws.token })).status).toBe(400)
  })
})

describe('chat uploads', () => {
  it('stores files for any workspace and serves them back', async () => {
    p = await startTestPlatform()
    const ws = await p.register()
    const form = new FormData()
    form.append('files', new Blob(['hello report'], { type: 'text/plain' }), 'my report.txt')
    form.append('files', new Blob([new Uint8Array([1, 2, 3])]), 'data.zip')
    const res = await fetch(`${p.url}/workspaces/${ws.id}/chat/uploads`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${ws.token}` },
      body: form,
    })
    expect(res.status).toBe(200)
    const { files } = (await res.json()) as {
      files: Array<{ uri: string; name: string; mimeType: string; size: number }>
    }
    expect(files).toHaveLength(2)
    expect(files[0]?.uri).toMatch(
      /^workspace:\/workspace\/\.molecule\/chat-uploads\/[0-9a-f]{32}-my_report\.txt$/,
    )
    expect(files[0]).toMatchObject({ name: 'my report.txt', mimeType: 'text/plain', size: 12 })
    expect(files[1]).toMatchObject({ mimeType: 'application/zip', size: 3 })
    const path = files[0]?.uri.slice('workspace:'.length) ?? ''
    const download = await fetch(
      `${p.url}/workspaces/${ws.id}/chat/download?path=${encodeURIComponent(path)}`,
      {
        headers: { Authorization: `Bearer ${ws.token}` },
      },
    )
    expect(await download.text()).toBe('hello report')
    const outside = await p.call('GET', `/workspaces/${ws.id}/chat/download?path=/etc/passwd`, {
      token: ws.token,
    })
    expect(outside.status).toBe(400)
    const empty = await fetch(`${p.url}/workspaces/${ws.id}/chat/uploads`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${ws.token}` },
      body: new FormData(),
    })
    expect(empty.status).toBe(400)
    const notMultipart = await p.call('POST', `/workspaces/${ws.id}/chat/uploads`, {
      body: {},
      token: ws.token,
    })
    expect(notMultipart).toMatchObject({ status: 400, body: { error: 'failed to parse multipart form' } })
  })
})
