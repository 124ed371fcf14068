import type { RunningDevPlatform } from '@molecule/dev-platform'
import { describe, expect, it } from 'vitest'
import { externalWorkspace, singleEnv, startBridge, tempDir, useDevPlatform } from './harness.js'

let platform: RunningDevPlatform
useDevPlatform((p) => {
  platform = p
})

describe('approvals through molecule-mcp', () => {
  it('answers pending within 50 s; a decision made after 60 s is obtained with check_approval', async () => {
    const ws = await externalWorkspace(platform, 'Approver')
    const bridge = await startBridge({
      ...singleEnv(platform.url, tempDir('mcp-approval-'), ws),
      APPROVAL_POLL_INTERVAL: '1',
    })
    try {
      const asked = Date.now()
      const first = await bridge.call('request_approval', {
        action: 'rotate production keys',
        reason: 'quarterly',
      })
      const answeredAfter = Date.now() - asked
      expect(answeredAfter).toBeLessThan(55_000)
      expect(first.isError).toBe(false)
      const pending = JSON.parse(first.text) as { approved: boolean; outcome: string; approval_id: string }
      expect(pending).toMatchObject({ approved: false, outcome: 'pending', approval_id: expect.any(String) })
      expect(platform.state.approvals.get(pending.approval_id)?.status).toBe('pending')

      await new Promise((r) => setTimeout(r, Math.max(0, 61_000 - (Date.now() - asked))))
      const decided = await fetch(
        `${platform.url}/workspaces/${ws.id}/approvals/${pending.approval_id}/decide`,
        {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${ws.token}` },
          body: JSON.stringify({ decision: 'approved', decided_by: 'carol' }),
        },
      )
      expect(decided.status).toBe(200)

      const later = await bridge.call('check_approval', { approval_id: pending.approval_id })
      expect(JSON.parse(later.text)).toEqual({
        approved: true,
        outcome: 'approved',
        approval_id: pending.approval_id,
        decided_by: 'carol',
      })
    } finally {
      await bridge.close()
    }
  }, 90_000)
})
