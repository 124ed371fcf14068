import { randomUUID } from 'node:crypto'
import { mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Role, TaskState } from '@a2a-js/sdk'
import { Client, ClientFactory } from '@a2a-js/sdk/client'
import { LegacyJsonRpcTransport } from '@a2a-js/sdk/compat/v0_3/client'
import { silentLogger } from '@molecule/core'
import { type RunningDevPlatform, startDevPlatform } from '@molecule/dev-platform'
import { sdkTextRequest } from '@molecule/test-support'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type RunningRuntime, startRuntime } from '../src/index.js'
import { inProcessEnv } from './support/runtime-process.js'

/** Wire JSON as the SDK hands it back: the assertions check the shape. */
// biome-ignore lint/suspicious/noExplicitAny: test-only view of the SDK's answers
type Json = any

let platform: RunningDevPlatform
const runtimes: RunningRuntime[] = []

/** An echo workspace whose config.yaml has the given `a2a` block, and the SDK's v1.0 and v0.3 clients of it. */
async function echoWorkspace(a2aBlock: string): Promise<Record<'v1.0' | 'v0.3', Client>> {
  const root = await mkdtemp(join(tmpdir(), 'molecule-a2a-result-'))
  await writeFile(
    join(root, 'config.yaml'),
    `name: Echo\nruntime: echo\na2a:\n  push_notifications: false\n${a2aBlock}`,
  )
  const runtime = await startRuntime({
    logger: silentLogger,
    env: inProcessEnv(root, randomUUID(), platform.url, { HOSTNAME: '127.0.0.1' }),
  })
  runtimes.push(runtime)
  const url = `http://127.0.0.1:${runtime.port}`
  const v1 = await new ClientFactory().createFromUrl(url)
  const v03 = new Client(new LegacyJsonRpcTransport({ endpoint: `${url}/` }), await v1.getAgentCard())
  return { 'v1.0': v1, 'v0.3': v03 }
}

function textOf(parts: Json[] | undefined): string {
  return (parts ?? []).map((p: Json) => p.content?.value ?? p.text ?? '').join('')
}

let asTasks: Record<'v1.0' | 'v0.3', Client>
let byDefault: Record<'v1.0' | 'v0.3', Client>

beforeAll(async () => {
  platform = await startDevPlatform({ port: 0, logLevel: 'silent' })
  asTasks = await echoWorkspace('  result: task\n')
  byDefault = await echoWorkspace('')
})
afterAll(async () => {
  await Promise.all(runtimes.map((rt) => rt.stop('test')))
  await platform.close()
})

describe.each(['v1.0', 'v0.3'] as const)('config.yaml a2a.result, @a2a-js/sdk client %s', (version) => {
  it('task: sendMessage gets the completed task, whose id works for getTask', async () => {
    const client = asTasks[version]
    const task: Json = await client.sendMessage(sdkTextRequest('ping'))
    expect(task.status.state).toBe(TaskState.TASK_STATE_COMPLETED)
    expect(textOf(task.status.message?.parts)).toBe('ping')
    expect(textOf(task.artifacts?.[0]?.parts)).toBe('ping')
    expect(task.history?.map((m: Json) => m.role)).toEqual([Role.ROLE_USER, Role.ROLE_AGENT])
    const fetched: Json = await client.getTask({ tenant: '', id: task.id, historyLength: 10 })
    expect(fetched.id).toBe(task.id)
    expect(fetched.status.state).toBe(TaskState.TASK_STATE_COMPLETED)
    expect(textOf(fetched.artifacts?.[0]?.parts)).toBe('ping')
  })

  it("default (message): sendMessage gets the agent's reply", async () => {
    const reply: Json = await byDefault[version].sendMessage(sdkTextRequest('ping'))
    expect(reply.role).toBe(Role.ROLE_AGENT)
    expect(textOf(reply.parts)).toBe('ping')
    expect(reply.status).toBeUndefined()
  })
})
