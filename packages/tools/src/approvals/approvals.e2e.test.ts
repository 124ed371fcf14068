import { type RunningDevPlatform, startDevPlatform } from '@molecule/dev-platform'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { z } from 'zod'
import type { AuditSink } from '../audit/audit-log.js'
import { defineTool, ToolRegistry } from '../registry.js'
import { contextFor } from '../test-support.js'
import { ApprovalService } from './approval-service.js'
import { approvalTools } from './approval-tools.js'
import { requiresApproval } from './requires-approval.js'

let platform: RunningDevPlatform
let ws: { id: string; token: string }

beforeAll(async () => {
  platform = await startDevPlatform({
    port: 0,
    logLevel: 'silent',
    approvalExpiryMs: 400,
    sweepIntervalMs: 20,
  })
  const created = await platform.createWorkspace({
    name: 'Gate',
    external: true,
    mint_token: true,
    delivery_mode: 'poll',
  })
  if (!created.token) throw new Error('no token')
  ws = { id: created.id, token: created.token }
})
afterAll(async () => platform?.close())

function recordingAudit(): AuditSink & { lines: Array<Record<string, unknown>> } {
  const lines: Array<Record<string, unknown>> = []
  return {
    lines,
    log(event_type, action, resource, outcome, extra = {}) {
      lines.push({ event_type, action, resource, outcome, ...extra })
      return 'trace'
    },
  }
}

/** Polling every 60 s: only the event stream can release a wait within a test's time. */
const EVENT_ONLY = { APPROVAL_TIMEOUT: '30', APPROVAL_POLL_INTERVAL: '60' }

async function pendingId(action: string): Promise<string> {
  for (let i = 0; i < 200; i++) {
    const row = [...platform.state.approvals.values()].find(
      (a) => a.action === action && a.status === 'pending',
    )
    if (row) return row.id
    await new Promise((r) => setTimeout(r, 10))
  }
  throw new Error(`no pending approval for ${action}`)
}

async function decide(approvalId: string, decision: 'approved' | 'denied', decidedBy = 'alice') {
  const res = await fetch(`${platform.url}/workspaces/${ws.id}/approvals/${approvalId}/decide`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${ws.token}` },
    body: JSON.stringify({ decision, decided_by: decidedBy }),
  })
  expect(res.status).toBe(200)
}

function setup(env: Record<string, string>, waitBudgetMs?: number) {
  const service = new ApprovalService({ env, ...(waitBudgetMs === undefined ? {} : { waitBudgetMs }) })
  const audit = recordingAudit()
  const ctx = contextFor(platform.url, ws.id, ws.token, { audit })
  return { service, audit, ctx, registry: new ToolRegistry(approvalTools(service)) }
}

describe('request_approval against the dev platform', () => {
  it('is released by the decision event, not a poll interval', async () => {
    const { ctx, registry, audit } = setup(EVENT_ONLY)
    const call = registry.call('request_approval', ctx, { action: 'deploy-event', reason: 'QA passed' })
    const id = await pendingId('deploy-event')
    await new Promise((r) => setTimeout(r, 100)) // the stream is open by now
    const decidedAt = Date.now()
    await decide(id, 'approved')
    const result = await call
    expect(Date.now() - decidedAt).toBeLessThan(2_000)
    expect(result.data).toEqual({ approved: true, outcome: 'approved', approval_id: id, decided_by: 'alice' })
    expect(audit.lines.map((l) => l.outcome)).toEqual(['requested', 'granted'])
    expect(audit.lines[1]).toMatchObject({
      event_type: 'approval',
      action: 'approve',
      resource: 'deploy-event',
      actor: 'alice',
    })
  })

  it('a denial is "Denied by human"', async () => {
    const { ctx, registry, audit } = setup(EVENT_ONLY)
    const call = registry.call('request_approval', ctx, { action: 'deploy-deny', reason: 'r' })
    await decide(await pendingId('deploy-deny'), 'denied', 'bob')
    expect((await call).data).toMatchObject({
      approved: false,
      outcome: 'denied',
      decided_by: 'bob',
      message: 'Denied by human',
    })
    expect(audit.lines.at(-1)).toMatchObject({ outcome: 'denied', actor: 'bob' })
  })

  it('a timeout is timed_out, never a human denial, and the request stays open', async () => {
    const { ctx, registry, audit } = setup({ APPROVAL_TIMEOUT: '0.3', APPROVAL_POLL_INTERVAL: '0.05' })
    const result = await registry.call('request_approval', ctx, { action: 'deploy-timeout', reason: 'r' })
    expect(result.data).toMatchObject({
      approved: false,
      outcome: 'timed_out',
      error: 'Timed out after 0.3s waiting for human decision',
    })
    expect(JSON.stringify(result.data)).not.toContain('Denied by human')
    expect(audit.lines.at(-1)).toMatchObject({ outcome: 'timeout', timeout_seconds: 0.3 })
    const id = (result.data as { approval_id: string }).approval_id
    expect(platform.state.approvals.get(id)?.status).toBe('pending')
  })

  it('an auto-expiry is expired with decided_by auto-expired', async () => {
    const { ctx, registry } = setup({ APPROVAL_TIMEOUT: '10', APPROVAL_POLL_INTERVAL: '60' })
    const result = await registry.call('request_approval', ctx, { action: 'deploy-expire', reason: 'r' })
    expect(result.data).toMatchObject({ approved: false, outcome: 'expired', decided_by: 'auto-expired' })
    expect((result.data as { message: string }).message).toContain('not a human decision')
  })

  it('a wait budget answers pending; check_approval picks up the later decision', async () => {
    const { ctx, registry } = setup(EVENT_ONLY, 150)
    const first = await registry.call('request_approval', ctx, { action: 'deploy-budget', reason: 'r' })
    expect(first.data).toMatchObject({ approved: false, outcome: 'pending' })
    const id = (first.data as { approval_id: string }).approval_id
    expect(await registry.call('check_approval', ctx, { approval_id: id, wait_secs: 0 })).toMatchObject({
      data: { outcome: 'pending' },
    })
    const later = registry.call('check_approval', ctx, { approval_id: id, wait_secs: 20 })
    await new Promise((r) => setTimeout(r, 100))
    await decide(id, 'approved')
    expect((await later).data).toMatchObject({ approved: true, outcome: 'approved', approval_id: id })
  })
})

describe('requiresApproval', () => {
  function gatedTransfer(service: ApprovalService) {
    const runs: Array<{ to: string; amount: number }> = []
    const transfer = defineTool({
      name: 'transfer',
      description: 'Move money.',
      input: z.object({ to: z.string(), amount: z.number() }),
      async run(_ctx, input) {
        runs.push(input)
        return `sent ${input.amount} to ${input.to}`
      },
    })
    const tool = requiresApproval(transfer, service, { reasonTemplate: 'Send {amount} to {to}' })
    return { runs, registry: new ToolRegistry([tool]) }
  }

  it('runs the approved call once; other arguments and a second run are refused', async () => {
    const { service, ctx, audit } = setup(EVENT_ONLY, 150)
    const { runs, registry } = gatedTransfer(service)
    const first = await registry.call('transfer', ctx, { to: 'acme', amount: 10 })
    expect(first.data).toMatchObject({ success: false, outcome: 'pending' })
    const id = (first.data as { approval_id: string }).approval_id
    const row = platform.state.approvals.get(id)
    expect(row).toMatchObject({ action: 'transfer', reason: 'Send 10 to acme' })
    expect(row?.context).toMatchObject({
      tool: 'transfer',
      args_sha256: expect.stringMatching(/^[0-9a-f]{64}$/),
    })
    await decide(id, 'approved')

    const changed = await registry.call('transfer', ctx, { to: 'mallory', amount: 10_000, approval_id: id })
    expect(changed).toMatchObject({ isError: true })
    expect(changed.text).toContain('given for other arguments')
    expect(runs).toEqual([])

    const [a, b] = await Promise.all([
      registry.call('transfer', ctx, { amount: 10, to: 'acme', approval_id: id }),
      registry.call('transfer', ctx, { to: 'acme', amount: 10, approval_id: id }),
    ])
    expect(runs).toEqual([{ to: 'acme', amount: 10 }])
    const texts = [a.text, b.text]
    expect(texts.filter((t) => t === 'sent 10 to acme')).toHaveLength(1)
    expect(texts.filter((t) => t.includes('already used'))).toHaveLength(1)
    expect(audit.lines.filter((l) => l.event_type === 'hitl').map((l) => l.outcome)).toEqual([
      'denied',
      'granted',
      'denied',
    ])
  })

  it('concurrent identical calls share one request and execute once', async () => {
    const { service, ctx } = setup(EVENT_ONLY)
    const { runs, registry } = gatedTransfer(service)
    const calls = [1, 2, 3].map(() => registry.call('transfer', ctx, { to: 'once', amount: 5 }))
    const id = await pendingId('transfer')
    await new Promise((r) => setTimeout(r, 100))
    await decide(id, 'approved')
    const results = await Promise.all(calls)
    expect(runs).toEqual([{ to: 'once', amount: 5 }])
    expect(results.filter((r) => r.text === 'sent 5 to once')).toHaveLength(1)
    expect(
      [...platform.state.approvals.values()].filter(
        (a) =>
          a.context && (a.context as { tool?: string }).tool === 'transfer' && a.reason === 'Send 5 to once',
      ),
    ).toHaveLength(1)
  })

  it('a denial is refused with the documented message; a bypass role runs directly', async () => {
    const { service, ctx } = setup(EVENT_ONLY)
    const { runs, registry } = gatedTransfer(service)
    const call = registry.call('transfer', ctx, { to: 'deny-me', amount: 1 })
    await decide(await pendingId('transfer'), 'denied')
    const denied = await call
    expect(denied.text).toContain("Action 'transfer' not approved: Denied by human")
    const bypass = new ApprovalService({ env: EVENT_ONLY, bypassRoles: ['admin'] })
    const direct = gatedTransfer(bypass)
    expect(
      (await direct.registry.call('transfer', { ...ctx, roles: ['admin'] }, { to: 'x', amount: 2 })).text,
    ).toBe('sent 2 to x')
    expect(runs).toEqual([])
  })
})
