import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { silentLogger } from '@molecule/core'
import { type RunningDevPlatform, startDevPlatform } from '@molecule/dev-platform'
import { ToolRegistry } from '@molecule/tools'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadBridgeConfig } from './bridge-config.js'
import { inboxTools } from './inbox-tools.js'
import { WorkspacePool } from './workspace-pool.js'

let platform: RunningDevPlatform

beforeAll(async () => {
  platform = await startDevPlatform({ port: 0, logLevel: 'silent' })
})
afterAll(async () => {
  await platform?.close()
})

async function queueUserMessage(workspaceId: string, text: string): Promise<void> {
  const res = await fetch(`${platform.url}/workspaces/${workspaceId}/a2a`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      jsonrpc: '2.0',
      id: 1,
      method: 'message/send',
      params: { message: { role: 'user', messageId: text, parts: [{ kind: 'text', text }] } },
    }),
  })
  expect(res.status).toBeLessThan(300)
}

describe('inbox_peek right after the bridge starts', () => {
  it('returns the messages the platform already queued (six fresh starts)', async () => {
    for (let run = 0; run < 6; run++) {
      const ws = await platform.createWorkspace({
        name: `Peek ${run}`,
        external: true,
        mint_token: true,
        delivery_mode: 'poll',
      })
      for (const text of ['one', 'two', 'three']) await queueUserMessage(ws.id, `${text}-${run}`)
      const pool = new WorkspacePool(
        loadBridgeConfig({
          PLATFORM_URL: platform.url,
          CONFIGS_DIR: mkdtempSync(join(tmpdir(), 'peek-start-')),
          WORKSPACE_ID: ws.id,
          MOLECULE_WORKSPACE_TOKEN: ws.token ?? '',
        }),
        silentLogger,
      )
      const tools = new ToolRegistry(inboxTools(pool))
      const ctx = {
        workspaceId: ws.id,
        platform: pool.primary.client,
        logger: silentLogger,
        signal: new AbortController().signal,
        workspaces: pool,
      }
      // The host may call a tool as soon as initialize is answered: registration and the first poll still run.
      const starting = pool.start()
      try {
        const peeked = await tools.call('inbox_peek', ctx, {})
        const texts = (JSON.parse(peeked.text) as Array<{ text: string }>).map((m) => m.text)
        expect({ run, texts }).toEqual({ run, texts: [`one-${run}`, `two-${run}`, `three-${run}`] })
      } finally {
        await starting
        await pool.stop()
      }
    }
  })
})
