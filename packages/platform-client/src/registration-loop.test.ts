import { mkdtempSync, readFileSync } from 'node:fs'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type RunningDevPlatform, startDevPlatform } from '@molecule/dev-platform'
import { afterEach, describe, expect, it } from 'vitest'
import { recordingLogger } from '../test/support/recording-logger.js'
import { freePort, startScriptedServer } from '../test/support/scripted-server.js'
import { PlatformClient } from './client.js'
import { HeartbeatLoop } from './heartbeat-loop.js'
import { RegistrationLoop } from './registration-loop.js'
import { TokenStore } from './token-store.js'

const WS = '5c1d2e3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f'
const cleanups: Array<() => Promise<unknown>> = []
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn()
})

describe('RegistrationLoop', () => {
  it('keeps retrying while the platform is down at boot and registers once it starts', async () => {
    const port = await freePort()
    const store = new TokenStore(mkdtempSync(join(tmpdir(), 'molecule-reg-')))
    const logger = recordingLogger()
    const client = new PlatformClient({
      platformUrl: `http://127.0.0.1:${port}`,
      workspaceId: WS,
      token: store,
    })
    const loop = new RegistrationLoop({
      client,
      body: { url: 'http://127.0.0.1:9/agent', agent_card: { name: 'late' } },
      retry: { baseMs: 5, maxMs: 40 },
      logger,
    })
    cleanups.push(() => loop.stop())
    const events: unknown[] = []
    loop.on('registered', (res) => events.push(res))
    loop.start()
    await new Promise((r) => setTimeout(r, 250))
    expect(loop.isRegistered).toBe(false)
    expect(logger.at('warn').length).toBeGreaterThanOrEqual(1)
    expect(logger.at('warn')[0]?.obj).toMatchObject({ code: 'PLATFORM_UNREACHABLE' })

    const platform: RunningDevPlatform = await startDevPlatform({ port, logLevel: 'silent' })
    cleanups.push(() => platform.close())
    const res = await loop.registered
    expect(res.status).toBe('registered')
    expect(readFileSync(store.path, 'utf8')).toBe(res.auth_token)
    expect(platform.state.get(WS)?.status).toBe('online')
    expect(events).toHaveLength(1)
    expect(logger.at('info').some((l) => l.msg?.includes('recovered'))).toBe(true)
    expect(JSON.stringify(logger.lines)).not.toContain(res.auth_token!)
  })

  it('stop() aborts an attempt that outlasts stopSettleMs, and rejects `registered` without an unhandled rejection', async () => {
    const server = await startScriptedServer(() => 'hang')
    cleanups.push(server.close)
    const client = new PlatformClient({ platformUrl: server.url, workspaceId: WS, timeoutMs: 30_000 })
    const loop = new RegistrationLoop({
      client,
      body: { url: 'http://127.0.0.1:9', agent_card: { name: 'x' } },
      stopSettleMs: 100,
    })
    const unhandled: unknown[] = []
    const onUnhandled = (e: unknown) => unhandled.push(e)
    process.on('unhandledRejection', onUnhandled)
    cleanups.push(async () => process.off('unhandledRejection', onUnhandled))
    loop.start()
    await new Promise((r) => setTimeout(r, 30))
    const started = Date.now()
    await loop.stop()
    const elapsed = Date.now() - started
    expect(elapsed).toBeGreaterThanOrEqual(90)
    expect(elapsed).toBeLessThan(1000)
    await expect(loop.registered).rejects.toThrow(/stopped/)
    await new Promise((r) => setTimeout(r, 20))
    expect(unhandled).toEqual([])
  })

  it('stop() lets a register in flight finish: the token it mints is stored, and nothing else starts', async () => {
    // The platform shows a minted token once; an answer aborted by a stop (a container stopped right after it
    // started) would lose it.
    const token = 'minted-token-0123456789abcdef'
    let requests = 0
    const server = createServer((req, res) => {
      requests += 1
      req.resume()
      setTimeout(() => {
        res.writeHead(200, { 'content-type': 'application/json' })
        res.end(JSON.stringify({ status: 'registered', auth_token: token }))
      }, 300)
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    cleanups.push(() => new Promise((resolve) => server.close(resolve)))
    const store = new TokenStore(mkdtempSync(join(tmpdir(), 'molecule-reg-stop-')))
    const client = new PlatformClient({
      platformUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      workspaceId: WS,
      token: store,
    })
    const loop = new RegistrationLoop({
      client,
      body: { url: 'http://127.0.0.1:9', agent_card: { name: 'x' } },
    })
    const events: unknown[] = []
    loop.on('registered', (res) => events.push(res))
    loop.start()
    await new Promise((r) => setTimeout(r, 50))
    await loop.stop()
    expect(readFileSync(store.path, 'utf8')).toBe(token)
    await expect(loop.registered).rejects.toThrow(/stopped/)
    expect(events).toEqual([])
    await new Promise((r) => setTimeout(r, 100))
    expect(requests).toBe(1)
  })

  it('re-registers when the heartbeat learns the platform lost its state (restart of the dev platform)', async () => {
    const port = await freePort()
    let platform = await startDevPlatform({ port, logLevel: 'silent' })
    const store = new TokenStore(mkdtempSync(join(tmpdir(), 'molecule-rereg-')))
    const client = new PlatformClient({
      platformUrl: platform.url,
      workspaceId: WS,
      token: store,
      timeoutMs: 500,
    })
    const registration = new RegistrationLoop({
      client,
      body: () => ({ url: 'http://127.0.0.1:9/agent', agent_card: { name: 'phoenix' } }),
      retry: { baseMs: 5, maxMs: 20 },
    })
    const reregisterReasons: string[] = []
    const heartbeat = new HeartbeatLoop({
      client,
      intervalMs: 10,
      reregisterCooldownMs: 0,
      snapshot: () => ({ active_tasks: 0 }),
      onReregister: (reason) => {
        reregisterReasons.push(reason)
        return registration.reregister('heartbeat')
      },
    })
    cleanups.push(() => registration.stop())
    cleanups.push(() => heartbeat.stop())
    registration.start()
    const first = await registration.registered
    heartbeat.start()
    // the platform restarts empty and another token of ours is live there: our cached one is unknown -> 401
    await platform.close()
    platform = await startDevPlatform({ port, logLevel: 'silent' })
    cleanups.push(() => platform.close())
    platform.state.tokens.mint(WS) // a live token we do not hold: heartbeats now get 401
    const deadline = Date.now() + 3000
    while (!reregisterReasons.length && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5))
    expect(reregisterReasons[0]).toBe('heartbeat answered 401')
    // revoke the foreign token: the next re-register (bootstrap) mints a fresh one for us
    platform.state.tokens.revokeAll(WS)
    const next = await new Promise<{ auth_token?: string }>((resolve) =>
      registration.once('registered', resolve),
    )
    expect(next.auth_token).toBeTypeOf('string')
    expect(next.auth_token).not.toBe(first.auth_token)
    while (heartbeat.consecutiveFailures > 0 && Date.now() < deadline + 3000)
      await new Promise((r) => setTimeout(r, 5))
    expect(heartbeat.consecutiveFailures).toBe(0)
    // Under load a heartbeat sent with the old token may 401 once more and trigger one further re-register,
    // so the property is: what we persisted is a token the platform accepts, and it is not the lost one.
    const stored = store.read()
    expect(stored).not.toBe(first.auth_token)
    expect(platform.state.tokens.verify(WS, stored ?? '')).toBe(true)
    expect(platform.state.get(WS)?.status).toBe('online')
  })
})
