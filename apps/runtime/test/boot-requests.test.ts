import { randomUUID } from 'node:crypto'
import { mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Adapter, AdapterConfig, SetupResult } from '@molecule/adapter-core'
import { silentLogger } from '@molecule/core'
import { type RunningDevPlatform, startDevPlatform } from '@molecule/dev-platform'
import { until } from '@molecule/test-support'
import { afterEach, describe, expect, it } from 'vitest'
import { type RunningRuntime, startRuntime } from '../src/index.js'
import { platformRequestLog } from './support/platform-requests.js'
import { inProcessEnv, sendBody } from './support/runtime-process.js'

let runtime: RunningRuntime | undefined
let platform: RunningDevPlatform | undefined
afterEach(async () => {
  await runtime?.stop('test')
  await platform?.close()
  runtime = undefined
  platform = undefined
})

/**
 * An adapter that keeps the system prompt of its setup and of every later `onSkillsChanged` (which throws after
 * recording when `failOnChange`), and answers "prompt?" with `setup.systemPrompt` of the config it was given.
 */
function promptRecorder(failOnChange = false) {
  const prompts: string[] = []
  const adapter: Adapter = {
    name: 'recorder',
    setup(config: AdapterConfig) {
      prompts.push(config.setup?.systemPrompt ?? '')
    },
    createExecutor: (config) => (ctx) =>
      ctx.text === 'prompt?' ? (config.setup?.systemPrompt ?? '') : ctx.text,
    onSkillsChanged(setup: SetupResult) {
      prompts.push(setup.systemPrompt)
      if (failOnChange) throw new Error('cannot reload')
    },
  }
  return { adapter, prompts }
}

/** The env of an in-process runtime in `root` whose adapter is the prompt recorder. */
function bootIn(root: string, workspaceId: string, recorder: ReturnType<typeof promptRecorder>) {
  if (!platform) throw new Error('start the platform first')
  return startRuntime({
    logger: silentLogger,
    builtins: { recorder: recorder.adapter },
    env: inProcessEnv(root, workspaceId, platform.url, {
      HOSTNAME: '127.0.0.1',
      MOLECULE_HEARTBEAT_INTERVAL_MS: '200',
    }),
  })
}

describe('boot against a strict platform', () => {
  it('asks the platform nothing it would refuse, and the prompt gets instructions and peers (first boot, restart)', async () => {
    const log = platformRequestLog()
    platform = await startDevPlatform({
      port: 0,
      logger: log.logger,
      instructions: { '*': 'Always answer in haiku.' },
    })
    // A sibling with a card: it is one of this workspace's peers once it has registered.
    const sibling = await platform.createWorkspace({ name: 'Poet' })
    const siblingState = platform.state.get(sibling.id)
    if (siblingState) siblingState.agent_card = { name: 'Poet', skills: [{ name: 'Rhymes' }] }

    const root = await mkdtemp(join(tmpdir(), 'molecule-boot-requests-'))
    await writeFile(
      join(root, 'config.yaml'),
      'name: Fresh\nruntime: recorder\na2a:\n  push_notifications: false\n',
    )
    const recorder = promptRecorder()
    const workspaceId = randomUUID()
    runtime = await bootIn(root, workspaceId, recorder)
    await runtime.registered
    // Registration, then a few heartbeats and delegation polls: everything a boot does.
    await until(() => log.requests.filter((r) => r.path === '/registry/heartbeat').length >= 3, 10_000)
    await until(() => recorder.prompts.length >= 2, 10_000, 'the prompt rebuilt once the token exists')

    const refused = log.requests.filter((r) => r.status === 401 || r.status === 404)
    expect(refused).toEqual([])
    expect(recorder.prompts[0]).not.toContain('Always answer in haiku.')
    const rebuilt = recorder.prompts.at(-1) ?? ''
    expect(rebuilt).toContain('Always answer in haiku.')
    expect(rebuilt).toContain('**Poet**')
    expect(rebuilt).toContain('Rhymes')

    // A restart finds the token on disk: the prompt is complete at setup, and nothing is rebuilt.
    await runtime.stop('restart')
    const restarted = promptRecorder()
    const before = log.requests.length
    runtime = await bootIn(root, workspaceId, restarted)
    await runtime.registered
    await until(() => log.requests.slice(before).filter((r) => r.path === '/registry/heartbeat').length >= 2)
    expect(restarted.prompts).toHaveLength(1)
    expect(restarted.prompts[0]).toContain('Always answer in haiku.')
    expect(restarted.prompts[0]).toContain('**Poet**')
    expect(log.requests.filter((r) => r.status === 401 || r.status === 404)).toEqual([])
  })

  it('an adapter whose onSkillsChanged throws keeps serving, and its config carries the completed prompt', async () => {
    platform = await startDevPlatform({ port: 0, logLevel: 'silent', instructions: { '*': 'Be brief.' } })
    const root = await mkdtemp(join(tmpdir(), 'molecule-boot-requests-'))
    await writeFile(
      join(root, 'config.yaml'),
      'name: Fresh\nruntime: recorder\na2a:\n  push_notifications: false\n',
    )
    const recorder = promptRecorder(true)
    runtime = await bootIn(root, randomUUID(), recorder)
    await until(() => recorder.prompts.length >= 2, 10_000, 'onSkillsChanged')
    const res = await fetch(`http://127.0.0.1:${runtime.port}/`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(sendBody('prompt?')),
    })
    const json = (await res.json()) as { result: { parts: Array<{ text: string }> } }
    expect(json.result.parts[0]?.text).toContain('Be brief.')
  })
})
