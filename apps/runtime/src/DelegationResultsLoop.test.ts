import { mkdtemp, readFile } from 'node:fs/promises'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type RunningDevPlatform, startDevPlatform } from '@molecule/dev-platform'
import { PlatformClient } from '@molecule/platform-client'
import pino from 'pino'
import { afterEach, describe, expect, it } from 'vitest'
import { DelegationResultsLoop } from './DelegationResultsLoop.js'

const logger = pino({ level: 'silent' })
let platform: RunningDevPlatform | undefined
let agent: Server | undefined

afterEach(async () => {
  await platform?.close()
  platform = undefined
  agent?.close()
  agent = undefined
})

async function setup(cooldownMs: number) {
  platform = await startDevPlatform({ port: 0, logLevel: 'silent' })
  const p = platform
  const self = await p.createWorkspace({ name: 'self', mint_token: true })
  const peer = await p.createWorkspace({ name: 'peer' })
  const client = new PlatformClient({ platformUrl: p.url, workspaceId: self.id, token: self.token ?? '' })
  // The agent side: a tiny JSON-RPC endpoint that records what the platform forwards to it.
  const received: string[] = []
  agent = createServer((req, res) => {
    let body = ''
    req.on('data', (c) => {
      body += c
    })
    req.on('end', () => {
      received.push(body)
      const id = (JSON.parse(body) as { id?: unknown }).id ?? null
      res.setHeader('content-type', 'application/json')
      res.end(
        JSON.stringify({
          jsonrpc: '2.0',
          id,
          result: { kind: 'message', role: 'agent', messageId: 'r', parts: [{ kind: 'text', text: 'ok' }] },
        }),
      )
    })
  })
  await new Promise<void>((resolve) => agent?.listen(0, '127.0.0.1', resolve))
  const port = (agent.address() as AddressInfo).port
  await client.register({ url: `http://127.0.0.1:${port}`, agent_card: { name: 'self' } })
  const resultsFile = join(await mkdtemp(join(tmpdir(), 'deleg-')), 'results.jsonl')
  let now = 1_000_000
  const loop = new DelegationResultsLoop({
    platform: client,
    resultsFile,
    intervalMs: 60_000,
    selfMessageCooldownMs: cooldownMs,
    logger,
    now: () => now,
  })
  const complete = (summary: string) => {
    const delegationId = crypto.randomUUID()
    p.state.recordActivity({
      workspace_id: self.id,
      activity_type: 'delegation',
      method: 'delegate_result',
      source_id: self.id,
      target_id: peer.id,
      status: 'completed',
      summary,
      delegation_id: delegationId,
      response_body: { text: `raw reply for ${summary}` },
    })
    return delegationId
  }
  const wakeUps = () => received
  const advance = (ms: number) => {
    now += ms
  }
  return { loop, complete, wakeUps, advance, resultsFile, self }
}

describe('DelegationResultsLoop (real dev platform)', () => {
  it('records each result once and keeps results that arrive during the cooldown for the next wake-up', async () => {
    const { loop, complete, wakeUps, advance, resultsFile } = await setup(60_000)
    const first = complete('first job done')
    expect((await loop.tick()).map((r) => r.delegation_id)).toEqual([first])
    expect(wakeUps()).toHaveLength(1)
    expect(wakeUps()[0]).toContain(first.slice(0, 8))

    const second = complete('second job done')
    advance(1000)
    expect((await loop.tick()).map((r) => r.delegation_id)).toEqual([second])
    expect(await loop.tick()).toEqual([])

    const lines = (await readFile(resultsFile, 'utf8')).trim().split('\n')
    expect(lines.map((l) => (JSON.parse(l) as { delegation_id: string }).delegation_id)).toEqual([
      first,
      second,
    ])
    // Pending: the second result has not been announced yet; once the cooldown passes, it is.
    const pendingText = () => wakeUps().join('\n')
    expect(pendingText()).not.toContain(second.slice(0, 8))
    advance(60_000)
    await loop.tick()
    expect(pendingText()).toContain(second.slice(0, 8))
    expect(wakeUps()).toHaveLength(2)
    expect(pendingText()).not.toContain('raw reply for')
  })
})
