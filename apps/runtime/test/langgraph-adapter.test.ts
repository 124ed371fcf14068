import { mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { ClientFactory } from '@a2a-js/sdk/client'
import { LangGraphAdapter } from '@molecule/adapter-langgraph'
import { ScriptedChatModel } from '@molecule/adapter-langgraph/testing'
import { silentLogger } from '@molecule/core'
import { type RunningDevPlatform, startDevPlatform } from '@molecule/dev-platform'
import { sdkTextRequest } from '@molecule/test-support'
import { afterEach, describe, expect, it } from 'vitest'
import { builtinAdapters, type RunningRuntime, startRuntime } from '../src/index.js'
import { inProcessEnv, type RuntimeProcess, spawnRuntime, workspaceDirs } from './support/runtime-process.js'

// biome-ignore lint/suspicious/noExplicitAny: test-only view of the SDK's stream events
type Json = any

let platform: RunningDevPlatform | undefined
const runtimes: RunningRuntime[] = []
const processes: RuntimeProcess[] = []

afterEach(async () => {
  await Promise.all(processes.splice(0).map((rt) => rt.stop('SIGKILL')))
  await Promise.all(runtimes.splice(0).map((rt) => rt.stop('test')))
  await platform?.close()
  platform = undefined
})

async function workspace(
  p: RunningDevPlatform,
  name: string,
  configYaml: string,
  builtins = builtinAdapters,
): Promise<RunningRuntime> {
  const { id } = await p.createWorkspace({ name })
  const root = await mkdtemp(join(tmpdir(), `molecule-langgraph-${name}-`))
  await writeFile(join(root, 'config.yaml'), configYaml)
  const runtime = await startRuntime({
    logger: silentLogger,
    builtins,
    env: inProcessEnv(root, id, p.url, { HOSTNAME: '127.0.0.1', MOLECULE_HEARTBEAT_INTERVAL_MS: '200' }),
  })
  runtimes.push(runtime)
  await runtime.registered
  return runtime
}

const lastContent = (messages: ReadonlyArray<{ content: unknown }>): string =>
  String(messages.at(-1)?.content ?? '')

describe('runtime: langgraph, driven by a scripted chat model', () => {
  it('calls list_peers, delegates to a second runtime through the platform, streams the answer to the SDK client', async () => {
    const p = await startDevPlatform({ port: 0, logLevel: 'silent' })
    platform = p
    const beta = await workspace(p, 'beta', 'name: beta\nruntime: echo\n')
    const model = new ScriptedChatModel({
      usage: { input_tokens: 50, output_tokens: 12 },
      turns: [
        { text: 'Looking for a peer. ', toolCalls: [{ name: 'list_peers', args: {} }] },
        (messages) => {
          const peerId = /ID: ([0-9a-f-]{36})/.exec(lastContent(messages))?.[1] ?? 'no-peer-listed'
          return {
            toolCalls: [
              { name: 'delegate_task', args: { workspace_id: peerId, task: 'say hello to alpha' } },
            ],
          }
        },
        (messages) => `Beta replied: ${lastContent(messages)}`,
      ],
    })
    const alpha = await workspace(p, 'alpha', 'name: alpha\nruntime: langgraph\n', {
      ...builtinAdapters,
      langgraph: new LangGraphAdapter({ chatModel: model }),
    })
    expect(alpha.adapter.name).toBe('langgraph')

    const client = await new ClientFactory().createFromUrl(`http://127.0.0.1:${alpha.port}`)
    const events: Json[] = []
    for await (const event of client.sendMessageStream(sdkTextRequest('ask a peer to greet me')))
      events.push(event)

    // The runtime's built-in tools, bound with their schemas.
    expect(model.boundTools).toEqual(expect.arrayContaining(['list_peers', 'delegate_task', 'commit_memory']))
    const cases = events.map((e) => e.payload?.$case)
    expect(cases[0]).toBe('task')
    const statuses = events
      .filter((e) => e.payload?.$case === 'statusUpdate')
      .map((e) => e.payload.value.status.state)
    expect(statuses[0]).toBe(2) // TASK_STATE_WORKING
    expect(statuses.at(-1)).toBe(3) // TASK_STATE_COMPLETED
    const artifactEvents = events
      .filter((e) => e.payload?.$case === 'artifactUpdate')
      .map((e) => e.payload.value)
    const streamed = artifactEvents.flatMap((a) =>
      a.artifact.parts.map((part: Json) => part.content?.value ?? part.text),
    )
    expect(streamed.join('')).toContain('Looking for a peer.')
    expect(streamed.join('')).toContain('Beta replied:')
    expect(streamed.join('')).toContain('say hello to alpha')
    expect(new Set(artifactEvents.map((a) => a.artifact.artifactId)).size).toBe(2)
    expect(JSON.stringify(artifactEvents)).not.toMatch(/list_peers|delegate_task|workspace_id/)

    const final = events.at(-1).payload.value
    const reply = final.status.message
    expect(reply.parts.map((part: Json) => part.content?.value ?? part.text).join('')).toMatch(
      /^Looking for a peer\. Beta replied: .*say hello to alpha/s,
    )
    const trace = reply.metadata?.tool_trace
    expect(trace?.map((t: Json) => t.tool)).toEqual(['list_peers', 'delegate_task'])
    expect(trace?.[0].output_preview).toContain(beta.workspaceId)
    expect(reply.metadata?.usage).toEqual({ input_tokens: 50, output_tokens: 12 })

    // The delegation really went through the platform to beta.
    const sent = p.state.activity.rows.find(
      (row) => row.workspace_id === alpha.workspaceId && row.activity_type === 'a2a_send',
    )
    expect(sent?.target_id).toBe(beta.workspaceId)
  })
})

describe('runtime: langgraph as a new user meets it (the built CLI, an empty config.yaml)', () => {
  it('with ANTHROPIC_API_KEY set, the package is found, the workspace boots and registers', async () => {
    const p = await startDevPlatform({ port: 0, logLevel: 'silent' })
    platform = p
    const { id } = await p.createWorkspace({ name: 'fresh' })
    const rt = spawnRuntime(id, p.url, await workspaceDirs(''), {
      ANTHROPIC_API_KEY: 'test-anthropic-key-not-real',
    })
    processes.push(rt)
    const started = await rt.waitForMsg('Runtime: langgraph (LangGraph)')
    expect(started.source).toBe('builtin:langgraph')
    await rt.waitForMsg('registered')
    expect(p.state.get(id)?.status).toBe('online')
    expect(rt.stderr).not.toContain('test-anthropic-key-not-real')
  })
})
