import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startScriptedServer } from '../test/support/scripted-server.js'
import { PlatformClient } from './client.js'
import type { CallOptions } from './types.js'

// Every method takes the same call options and honours each of them the same way: a method that forgets one
// (e.g. `retry: false` from a loop that owns its own backoff) retries behind its caller's back.

const WS = '0b6f7c1e-5d2a-4c8e-9a71-2f4d6e8b9c10'
const PEER = '5c1d0000-0000-4000-8000-000000000002'
const ATTEMPTS = 3

type Call = (client: PlatformClient, opts: CallOptions) => Promise<unknown>

/** The calls the client retries on a 5xx: every GET, and the writes that are safe to repeat. */
const IDEMPOTENT: Record<string, Call> = {
  register: (c, o) => c.register({ url: '', agent_card: { name: 'n' } }, o),
  heartbeat: (c, o) => c.heartbeat({}, o),
  updateCard: (c, o) => c.updateCard({ name: 'n' }, o),
  discover: (c, o) => c.discover(PEER, o),
  listPeers: (c, o) => c.listPeers({}, o),
  getWorkspace: (c, o) => c.getWorkspace(WS, o),
  getState: (c, o) => c.getState(o),
  listDelegations: (c, o) => c.listDelegations(o),
  fetchPendingUpload: (c, o) => c.fetchPendingUpload('f1', o),
  listActivity: (c, o) => c.listActivity({}, o),
  searchMemories: (c, o) => c.searchMemories({}, o),
  listApprovals: (c, o) => c.listApprovals(o),
  resolveInstructions: (c, o) => c.resolveInstructions(o),
  getSharedContext: (c, o) => c.getSharedContext(PEER, o),
  saveCheckpoint: (c, o) => c.saveCheckpoint({ workflowId: 'w', stepName: 's' }, o),
  latestCheckpoint: (c, o) => c.latestCheckpoint(o),
  rawRequest: async (c, o) => {
    const res = await c.rawRequest('GET', `/workspaces/${WS}/state`, { ...o, idempotent: true })
    if (res.status >= 500) throw new Error(`status ${res.status}`)
  },
}

/** Writes that could apply twice: never retried, whatever the options say. */
const NOT_IDEMPOTENT: Record<string, Call> = {
  sendA2A: (c, o) => c.sendA2A(PEER, { jsonrpc: '2.0', id: 1, method: 'message/send' }, o),
  delegate: (c, o) => c.delegate({ targetId: PEER, task: 't' }, o),
  recordDelegation: (c, o) => c.recordDelegation({ targetId: PEER, task: 't', delegationId: 'd1' }, o),
  updateDelegation: (c, o) => c.updateDelegation('d1', { status: 'completed' }, o),
  notify: (c, o) => c.notify({ message: 'm' }, o),
  broadcast: (c, o) => c.broadcast({ message: 'b' }, o),
  uploadChatFiles: (c, o) => c.uploadChatFiles([{ name: 'a.txt', data: 'hi' }], o),
  ackPendingUpload: (c, o) => c.ackPendingUpload('f1', o),
  reportActivity: (c, o) => c.reportActivity({ activityType: 'agent_log' }, o),
  commitMemory: (c, o) => c.commitMemory({ content: 'c', scope: 'LOCAL' }, o),
  deleteMemory: (c, o) => c.deleteMemory('m1', o),
  requestApproval: (c, o) => c.requestApproval({ action: 'deploy' }, o),
}

let server: Awaited<ReturnType<typeof startScriptedServer>>
let client: PlatformClient
let hanging: Awaited<ReturnType<typeof startScriptedServer>>

beforeAll(async () => {
  server = await startScriptedServer(() => ({ status: 503, body: { error: 'down for maintenance' } }))
  client = new PlatformClient({
    platformUrl: server.url,
    workspaceId: WS,
    token: 'token-1',
    retry: { attempts: ATTEMPTS, baseMs: 1, maxMs: 2 },
    timeoutMs: 2_000,
  })
  hanging = await startScriptedServer(() => 'hang')
})

afterAll(async () => {
  await server?.close()
  await hanging?.close()
})

async function requestsMadeBy(call: Call, opts: CallOptions): Promise<number> {
  const before = server.requests.length
  await expect(call(client, opts)).rejects.toThrow()
  return server.requests.length - before
}

describe('call options', () => {
  it.each(Object.entries(IDEMPOTENT))('%s retries a 503, and not with retry: false', async (_, call) => {
    expect(await requestsMadeBy(call, {})).toBe(ATTEMPTS)
    expect(await requestsMadeBy(call, { retry: false })).toBe(1)
  })

  it.each(Object.entries(NOT_IDEMPOTENT))('%s is never retried, even with retry: true', async (_, call) => {
    expect(await requestsMadeBy(call, { retry: true })).toBe(1)
  })

  it.each(Object.entries({ ...IDEMPOTENT, ...NOT_IDEMPOTENT }))(
    '%s stops with the reason of an aborted signal, sending nothing',
    async (_, call) => {
      const reason = new Error('caller gave up')
      const before = server.requests.length
      await expect(call(client, { signal: AbortSignal.abort(reason) })).rejects.toBe(reason)
      expect(server.requests.length).toBe(before)
    },
  )

  it.each(Object.entries({ ...IDEMPOTENT, ...NOT_IDEMPOTENT }))(
    '%s gives up after its own timeoutMs with PLATFORM_TIMEOUT',
    async (_, call) => {
      const slow = new PlatformClient({ platformUrl: hanging.url, workspaceId: WS, timeoutMs: 60_000 })
      await expect(call(slow, { timeoutMs: 50, retry: false })).rejects.toMatchObject({
        code: 'PLATFORM_TIMEOUT',
      })
    },
  )
})
