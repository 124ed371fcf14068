import { existsSync } from 'node:fs'
import { mkdtemp, readFile, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type RunningDevPlatform, startDevPlatform } from '@molecule/dev-platform'
import { recordingLogger } from '@molecule/test-support'
import { afterEach, describe, expect, it } from 'vitest'
import { type RunningRuntime, startRuntime } from '../src/index.js'
import { ECHO_CONFIG } from './support/runtime-process.js'

const runtimes: RunningRuntime[] = []
let platform: RunningDevPlatform | undefined
afterEach(async () => {
  await Promise.all(runtimes.splice(0).map((rt) => rt.stop('test')))
  await platform?.close()
  platform = undefined
})

/**
 * What the adapter template's command sets and nothing more: the config directory, the id and the platform. No
 * CONFIGS_DIR, bind address, workspace dir or snapshot path: the defaults outside a container must be safe.
 */
async function boot(configDir: string, workspaceId: string, log = recordingLogger()) {
  platform ??= await startDevPlatform({ port: 0, logLevel: 'silent' })
  const env = {
    WORKSPACE_ID: workspaceId,
    WORKSPACE_CONFIG_PATH: configDir,
    PLATFORM_URL: platform.url,
    MOLECULE_A2A_PORT: '0',
    MOLECULE_SHUTDOWN_GRACE_MS: '200',
  }
  const runtime = await startRuntime({ env, logger: log, inContainer: false })
  runtimes.push(runtime)
  await runtime.registered
  return { runtime, log }
}

describe('molecule-runtime outside a container (no /configs mount)', () => {
  it('keeps its state in the config directory it was given, binds loopback and advertises a loopback URL', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'molecule-laptop-'))
    await writeFile(join(dir, 'config.yaml'), ECHO_CONFIG)
    platform = await startDevPlatform({ port: 0, logLevel: 'silent' })
    const ws = await platform.createWorkspace({ name: 'laptop' })
    const { runtime, log } = await boot(dir, ws.id)
    expect(runtime.url).toBe(`http://127.0.0.1:${runtime.port}`)
    const listening = log.lines.find((line) => line.msg === 'A2A server listening')
    expect((listening?.obj as { bind?: string } | undefined)?.bind).toBe(`127.0.0.1:${runtime.port}`)
    expect(platform?.state.get(ws.id)?.url).toBe(runtime.url)
    expect((await readFile(join(dir, '.auth_token'), 'utf8')).length).toBeGreaterThan(20)
    expect((await readFile(join(dir, '.auth_token.workspace_id'), 'utf8')).trim()).toBe(ws.id)
    expect(existsSync(join(dir, 'AGENTS.md'))).toBe(true)
    await runtime.stop('test')
    expect(JSON.parse(await readFile(join(dir, '.agent_snapshot.json'), 'utf8')).workspace_id).toBe(ws.id)
  })

  it('a second workspace id in the same directory neither restores the first one’s snapshot nor uses its token', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'molecule-laptop-'))
    await writeFile(join(dir, 'config.yaml'), ECHO_CONFIG)
    platform ??= await startDevPlatform({ port: 0, logLevel: 'silent' })
    const first = await platform.createWorkspace({ name: 'first' })
    const second = await platform.createWorkspace({ name: 'second' })
    const one = await boot(dir, first.id)
    await one.runtime.stop('test')
    const firstToken = (await readFile(join(dir, '.auth_token'), 'utf8')).trim()
    expect(existsSync(join(dir, '.agent_snapshot.json'))).toBe(true)

    const two = await boot(dir, second.id)
    const messages = two.log.lines.map((line) => line.msg)
    expect(messages).not.toContain('restored pre-stop snapshot')
    expect(messages).toContain('the pre-stop snapshot belongs to another workspace id; not restored')
    expect(messages).toContain(
      'the token file belongs to another workspace id, so it is not used; registering for a new token',
    )
    // No 401 on the way: the first token was never sent for the second workspace.
    expect(two.log.lines.filter((line) => /401|rejected/i.test(line.msg ?? ''))).toEqual([])
    const secondToken = (await readFile(join(dir, '.auth_token'), 'utf8')).trim()
    expect(secondToken).not.toBe(firstToken)
    expect((await readFile(join(dir, '.auth_token.workspace_id'), 'utf8')).trim()).toBe(second.id)
  })
})
