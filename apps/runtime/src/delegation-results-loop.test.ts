import { chmod, mkdtemp, readFile, stat, writeFile } from 'node:fs/promises'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { silentLogger } from '@molecule/core'
import { type RunningDevPlatform, startDevPlatform } from '@molecule/dev-platform'
import { PlatformClient } from '@molecule/platform-client'
import { afterEach, describe, expect, it } from 'vitest'
import { DelegationResultsLoop } from './delegation-results-loop.js'

const logger = silentLogger
let platform: RunningDevPlatform | undefined
let agent: Server | undefined

afterEach(async () => {
  await platform?.close()
  platform = undefined
  agent?.close()
  agent = undefined
})

async function setup(cooldownMs: number, stateFile?: string) {
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
  // A new loop over the same files is what a restarted runtime builds.
  const newLoop = () =>
    new DelegationResultsLoop({
      platform: client,
      resultsFile,
      ...(stateFile ? { stateFile } : {}),
      intervalMs: 60_000,
      selfMessageCooldownMs: cooldownMs,
      logger,
      now: () => now,
    })
  const loop = newLoop()
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
  return { loop, newLoop, complete, wakeUps, advance, resultsFile, self }
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

  it('after a restart announces nothing twice and still announces what was pending', async () => {
    const stateFile = join(await mkdtemp(join(tmpdir(), 'deleg-state-')), 'configs', '.delegation_state.json')
    const { loop, newLoop, complete, wakeUps, advance, resultsFile } = await setup(60_000, stateFile)
    const first = complete('first job done')
    await loop.tick()
    expect(wakeUps()).toHaveLength(1)
    // Arrives during the cooldown: recorded, not yet announced — then the process dies.
    const second = complete('second job done')
    advance(1000)
    expect((await loop.tick()).map((r) => r.delegation_id)).toEqual([second])
    expect(wakeUps()).toHaveLength(1)
    expect((await stat(stateFile)).mode & 0o777).toBe(0o600)

    const restarted = newLoop()
    expect(await restarted.tick()).toEqual([])
    expect(wakeUps()).toHaveLength(2)
    expect(wakeUps()[1]).toContain(second.slice(0, 8))
    expect(wakeUps()[1]).not.toContain(first.slice(0, 8))

    const third = complete('third job done')
    advance(60_000)
    const again = newLoop()
    expect((await again.tick()).map((r) => r.delegation_id)).toEqual([third])
    expect(wakeUps()).toHaveLength(3)
    expect(wakeUps()[2]).toContain(third.slice(0, 8))
    expect(wakeUps()[2]).not.toContain(second.slice(0, 8))
    expect(await newLoop().tick()).toEqual([])
    expect(wakeUps()).toHaveLength(3)

    const ids = (await readFile(resultsFile, 'utf8'))
      .trim()
      .split('\n')
      .map((l) => (JSON.parse(l) as { delegation_id: string }).delegation_id)
    expect(ids).toEqual([first, second, third])
  })

  it('without a state file a restart records everything again (the in-memory behaviour)', async () => {
    const { loop, newLoop, complete, resultsFile } = await setup(0)
    const only = complete('done')
    await loop.tick()
    expect((await newLoop().tick()).map((r) => r.delegation_id)).toEqual([only])
    expect((await readFile(resultsFile, 'utf8')).trim().split('\n')).toHaveLength(2)
  })

  it('never forgets an id the platform still lists, however many there are', async () => {
    // A platform that lists 230 finished delegations on every poll (more than the seen-set bound of 200).
    const rows = Array.from({ length: 230 }, (_, i) => ({
      delegation_id: `d-${String(i).padStart(3, '0')}-${crypto.randomUUID()}`,
      source_id: 'self',
      target_id: 'peer',
      status: 'completed',
      summary: `job ${i}`,
    }))
    const sent: unknown[] = []
    const loop = new DelegationResultsLoop({
      platform: {
        workspaceId: 'self',
        listDelegations: async () => rows,
        getWorkspace: async () => ({ id: 'self', name: 'self' }),
        sendA2A: async (_id: string, body: unknown) => {
          sent.push(body)
          return {}
        },
        notify: async () => ({ status: 'ok' }),
      } as unknown as ConstructorParameters<typeof DelegationResultsLoop>[0]['platform'],
      resultsFile: join(await mkdtemp(join(tmpdir(), 'deleg-')), 'results.jsonl'),
      intervalMs: 60_000,
      selfMessageCooldownMs: 0,
      logger,
    })
    expect(await loop.tick()).toHaveLength(230)
    expect(await loop.tick()).toEqual([])
    expect(await loop.tick()).toEqual([])
    expect(sent).toHaveLength(1)
    // Once the platform stops listing the old ones, the set shrinks back to the newest ids.
    rows.splice(0, 200)
    expect(await loop.tick()).toEqual([])
    expect(sent).toHaveLength(1)
  })

  it('treats a corrupt state file as a fresh start', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'deleg-state-'))
    const stateFile = join(dir, 'state.json')
    await writeFile(stateFile, '{not json')
    const { loop, complete } = await setup(0, stateFile)
    const id = complete('done')
    expect((await loop.tick()).map((r) => r.delegation_id)).toEqual([id])
    expect(JSON.parse(await readFile(stateFile, 'utf8'))).toMatchObject({
      version: 1,
      seen: [id],
      pending: [],
    })
  })

  it('creates the results file 0600, whatever the umask, and narrows an existing wider one', async () => {
    const { loop, complete, resultsFile } = await setup(0)
    const umask = process.umask(0o000)
    try {
      complete('private reply')
      await loop.tick()
    } finally {
      process.umask(umask)
    }
    expect((await stat(resultsFile)).mode & 0o777).toBe(0o600)

    await chmod(resultsFile, 0o644)
    complete('another reply')
    await loop.tick()
    expect((await stat(resultsFile)).mode & 0o777).toBe(0o600)
    expect((await readFile(resultsFile, 'utf8')).trim().split('\n')).toHaveLength(2)
  })
})
