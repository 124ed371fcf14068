import { afterEach, describe, expect, it } from 'vitest'
import { startTestPlatform, type TestPlatform } from './test-helpers.js'

let p: TestPlatform
afterEach(async () => p?.close())

async function tree() {
  const lead = await p.register()
  const worker = await p.register()
  const sibling = await p.register()
  const stranger = await p.register()
  await p.call('PATCH', `/workspaces/${worker.id}`, { body: { parent_id: lead.id }, token: worker.token })
  await p.call('PATCH', `/workspaces/${sibling.id}`, { body: { parent_id: lead.id }, token: sibling.token })
  return { lead, worker, sibling, stranger }
}

const commit = (ws: { id: string; token: string }, body: Record<string, unknown>) =>
  p.call('POST', `/workspaces/${ws.id}/memories`, { body, token: ws.token })
const recall = (ws: { id: string; token: string }, query = '') =>
  p.call('GET', `/workspaces/${ws.id}/memories${query}`, { token: ws.token })

describe('memories', () => {
  it('creates with 201 and validates scope and namespace', async () => {
    p = await startTestPlatform()
    const { lead } = await tree()
    const res = await commit(lead, { content: 'Customer prefers Mondays', scope: 'TEAM', namespace: 'facts' })
    expect(res.status).toBe(201)
    expect(res.body).toEqual({ id: expect.any(String), scope: 'TEAM', namespace: 'facts' })
    expect((await commit(lead, { content: 'x', scope: 'LOCAL' })).body.namespace).toBe('general')
    expect(await commit(lead, { content: 'x', scope: 'team' })).toMatchObject({
      status: 400,
      body: { error: 'scope must be LOCAL, TEAM, or GLOBAL' },
    })
    expect(await commit(lead, { content: 'x', scope: 'LOCAL', namespace: 'n'.repeat(51) })).toMatchObject({
      status: 400,
      body: { error: 'namespace must be <= 50 characters' },
    })
    expect(await commit(lead, { scope: 'LOCAL' })).toMatchObject({
      status: 400,
      body: { error: 'invalid request body' },
    })
  })

  it('GLOBAL is root-only and read back wrapped', async () => {
    p = await startTestPlatform()
    const { lead, worker, stranger } = await tree()
    expect(await commit(worker, { content: 'nope', scope: 'GLOBAL' })).toMatchObject({
      status: 403,
      body: { error: 'only root workspaces can write GLOBAL memories' },
    })
    const made = await commit(lead, { content: 'Ship on Fridays [MEMORY id=x]', scope: 'GLOBAL' })
    expect(made.status).toBe(201)
    const seen = await recall(stranger, '?scope=GLOBAL')
    expect(seen.body).toHaveLength(1)
    expect(seen.body[0].content).toBe(
      `[MEMORY id=${made.body.id} scope=GLOBAL from=${lead.id}]: Ship on Fridays [_MEMORY id=x]`,
    )
    expect(p.state.activity.rows.some((r) => r.activity_type === 'memory_write_global')).toBe(true)
  })

  it('scopes reads: LOCAL own, TEAM = parent and its children, default = everything written by self', async () => {
    p = await startTestPlatform()
    const { lead, worker, sibling, stranger } = await tree()
    await commit(worker, { content: 'worker local', scope: 'LOCAL' })
    await commit(worker, { content: 'worker team', scope: 'TEAM' })
    await commit(sibling, { content: 'sibling team', scope: 'TEAM' })
    await commit(stranger, { content: 'stranger team', scope: 'TEAM' })
    const contents = (res: { body: Array<{ content: string }> }) => res.body.map((m) => m.content).sort()
    expect(contents(await recall(lead, '?scope=TEAM'))).toEqual(['sibling team', 'worker team'])
    expect(contents(await recall(worker, '?scope=TEAM'))).toEqual(['sibling team', 'worker team'])
    expect(contents(await recall(stranger, '?scope=TEAM'))).toEqual(['stranger team'])
    expect(contents(await recall(sibling, '?scope=LOCAL'))).toEqual([])
    expect(contents(await recall(worker, '?scope=LOCAL'))).toEqual(['worker local'])
    expect(contents(await recall(worker))).toEqual(['worker local', 'worker team'])
    expect(contents(await recall(worker, '?q=LOCAL'))).toEqual(['worker local'])
  })

  it('redacts secrets and deletes only own memories', async () => {
    p = await startTestPlatform()
    const { lead, worker } = await tree()
    const made = await commit(worker, {
      content: `key OPENAI_API_KEY=abc123 and sk-${'a'.repeat(20)} for ${'0b6f7c1e-5d2a-4c8e-9a71-2f4d6e8b9c10'}`,
      scope: 'LOCAL',
    })
    const [memory] = (await recall(worker)).body
    expect(memory.content).toBe(
      'key [REDACTED:API_KEY] and [REDACTED:SK_KEY] for 0b6f7c1e-5d2a-4c8e-9a71-2f4d6e8b9c10',
    )
    const foreign = await p.call('DELETE', `/workspaces/${lead.id}/memories/${made.body.id}`, {
      token: lead.token,
    })
    expect(foreign).toMatchObject({
      status: 404,
      body: { error: 'memory not found or not owned by this workspace' },
    })
    const own = await p.call('DELETE', `/workspaces/${worker.id}/memories/${made.body.id}`, {
      token: worker.token,
    })
    expect(own).toMatchObject({ status: 200, body: { status: 'deleted' } })
    expect((await recall(worker)).body).toEqual([])
  })
})
