import { readFile, rm, stat, writeFile } from 'node:fs/promises'
import { createServer, request } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import { ClientFactory } from '@a2a-js/sdk/client'
import { type RunningDevPlatform, startDevPlatform } from '@molecule/dev-platform'
import { sdkTextRequest, until } from '@molecule/test-support'
import { afterEach, describe, expect, it } from 'vitest'
import {
  ECHO_CONFIG,
  freePort,
  type RuntimeProcess,
  sendBody,
  spawnRuntime,
  workspaceDirs,
} from './support/runtime-process.js'

const running: RuntimeProcess[] = []
const platforms: RunningDevPlatform[] = []

afterEach(async () => {
  await Promise.all(running.splice(0).map((rt) => rt.stop('SIGKILL')))
  await Promise.all(platforms.splice(0).map((p) => p.close()))
})

async function platform(port = 0): Promise<RunningDevPlatform> {
  const p = await startDevPlatform({ port, logLevel: 'silent' })
  platforms.push(p)
  return p
}

describe('molecule-runtime registration and messaging (dev platform, spawned dist/cli.js)', () => {
  it('two runtimes register, go online, and answer through the platform A2A proxy', async () => {
    const p = await platform()
    const a = await p.createWorkspace({ name: 'alpha' })
    const b = await p.createWorkspace({ name: 'beta' })
    const rtA = spawnRuntime(a.id, p.url, await workspaceDirs(ECHO_CONFIG))
    const rtB = spawnRuntime(b.id, p.url, await workspaceDirs(ECHO_CONFIG))
    running.push(rtA, rtB)
    const registered = await rtA.waitForMsg('registered')
    expect(registered.workspaceId).toBe(a.id)
    await rtB.waitForMsg('registered')
    await until(() => p.state.get(a.id)?.status === 'online' && p.state.get(b.id)?.status === 'online', 5000)

    const res = await fetch(`${p.url}/workspaces/${b.id}/a2a`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(sendBody('hello beta')),
    })
    expect(res.status).toBe(200)
    const body = (await res.json()) as {
      result: { kind: string; role: string; parts: Array<{ text: string }> }
    }
    expect(body.result.kind).toBe('message')
    expect(body.result.role).toBe('agent')
    expect(body.result.parts[0]?.text).toBe('hello beta')

    // Heartbeats keep flowing (uptime grows) after the exchange.
    await until(() => (p.state.get(b.id)?.uptime_seconds ?? 0) >= 1, 4000)
  })

  it('answers a direct A2A call from the official @a2a-js/sdk client', async () => {
    const p = await platform()
    const ws = await p.createWorkspace({ name: 'direct' })
    const rt = spawnRuntime(ws.id, p.url, await workspaceDirs(ECHO_CONFIG))
    running.push(rt)
    const listening = await rt.waitForMsg('A2A server listening')
    const client = await new ClientFactory().createFromUrl(String(listening.url))
    const card = await client.getAgentCard()
    expect(card.name).toBe('Echo Test')
    const result = (await client.sendMessage(sdkTextRequest('via the sdk'))) as unknown as {
      parts: Array<{ content?: { value?: string } }>
    }
    expect(result.parts.map((part) => part.content?.value).join('')).toBe('via the sdk')
  })

  it('saves the minted token 0600 and reuses it after a restart', async () => {
    const p = await platform()
    const ws = await p.createWorkspace({ name: 'restart' })
    const dirs = await workspaceDirs(ECHO_CONFIG)
    const first = spawnRuntime(ws.id, p.url, dirs)
    running.push(first)
    await first.waitForMsg('registered')
    const tokenFile = join(dirs.configs, '.auth_token')
    const token = await readFile(tokenFile, 'utf8')
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/)
    expect((await stat(tokenFile)).mode & 0o777).toBe(0o600)
    expect(first.stderr).not.toContain(token)
    expect(await first.stop()).toEqual({ code: 0, signal: null })

    const second = spawnRuntime(ws.id, p.url, dirs)
    running.push(second)
    await second.waitForMsg('registered')
    expect(second.lines.some((line) => line.msg === 'platform minted a workspace token')).toBe(false)
    expect(await readFile(tokenFile, 'utf8')).toBe(token)
    // The platform accepted the saved bearer: heartbeats succeed.
    const beatsBefore = p.state.get(ws.id)?.last_heartbeat_at ?? 0
    await until(() => (p.state.get(ws.id)?.last_heartbeat_at ?? 0) > beatsBefore, 5000)
    expect(second.stderr).not.toContain(token)
  })

  it('a lost token file is said at once with the fix, and putting the token back heals without a restart', async () => {
    const p = await platform()
    const ws = await p.createWorkspace({ name: 'lost-token' })
    const dirs = await workspaceDirs(ECHO_CONFIG)
    const first = spawnRuntime(ws.id, p.url, dirs)
    running.push(first)
    await first.waitForMsg('registered')
    const tokenFile = join(dirs.configs, '.auth_token')
    const token = await readFile(tokenFile, 'utf8')
    expect(await first.stop()).toEqual({ code: 0, signal: null })
    await rm(tokenFile)

    const second = spawnRuntime(ws.id, p.url, dirs)
    running.push(second)
    const refused = await second.waitFor((line) => /platform registration failed/.test(line.msg ?? ''), 5000)
    expect(refused.code).toBe('PLATFORM_UNAUTHORIZED')
    expect(refused.msg).toContain(`Fix: the platform holds a live token for this workspace that ${tokenFile}`)
    await writeFile(tokenFile, token, { mode: 0o600 })
    await second.waitForMsg('registered', 5000)
    expect(second.stderr).not.toContain(token)
  })

  it('a provisioned workspace (token on disk) comes online by heartbeat even while register is rejected', async () => {
    const p = await platform()
    const ws = await p.createWorkspace({ name: 'provisioned', mint_token: true })
    const dirs = await workspaceDirs(ECHO_CONFIG)
    await writeFile(join(dirs.configs, '.auth_token'), ws.token ?? '', { mode: 0o600 })
    // In front of the platform: register answers 400 (as a real platform does for an advertised URL it cannot
    // validate); every other call is forwarded unchanged.
    let rejected = 0
    const front = createServer((req, res) => {
      if (req.url === '/registry/register') {
        rejected++
        req.resume()
        res.writeHead(400, { 'content-type': 'application/json' }).end('{"error":"invalid request body"}')
        return
      }
      const upstream = request(
        `${p.url}${req.url}`,
        { method: req.method, headers: req.headers },
        (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers)
          answer.pipe(res)
        },
      )
      req.pipe(upstream)
    })
    await new Promise<void>((resolve) => front.listen(0, '127.0.0.1', resolve))
    try {
      const rt = spawnRuntime(ws.id, `http://127.0.0.1:${(front.address() as AddressInfo).port}`, dirs)
      running.push(rt)
      await until(() => p.state.get(ws.id)?.status === 'online', 6000)
      expect(rejected).toBeGreaterThan(0)
      expect(rt.lines.some((line) => line.msg === 'registered')).toBe(false)
      expect(rt.child.exitCode).toBeNull()
    } finally {
      front.closeAllConnections()
      front.close()
    }
  })

  it('keeps serving and registers when the platform starts 3 s after the runtime', async () => {
    const port = await freePort()
    const wsId = crypto.randomUUID()
    const rt = spawnRuntime(wsId, `http://127.0.0.1:${port}`, await workspaceDirs(ECHO_CONFIG))
    running.push(rt)
    const listening = await rt.waitForMsg('A2A server listening')
    // A2A answers while registration is still being retried.
    const direct = await fetch(String(listening.url), {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(sendBody('early')),
    })
    expect(
      ((await direct.json()) as { result: { parts: Array<{ text: string }> } }).result.parts[0]?.text,
    ).toBe('early')
    await new Promise((r) => setTimeout(r, 3000))
    expect(rt.child.exitCode).toBeNull()
    const p = await platform(port)
    await rt.waitForMsg('registered', 5000)
    await until(() => p.state.get(wsId)?.status === 'online', 5000)
    expect(rt.child.exitCode).toBeNull()
  }, 20_000)
})
