import { mkdtempSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { knownSecrets, silentLogger } from '@molecule/core'
import { type RunningDevPlatform, startDevPlatform } from '@molecule/dev-platform'
import { until } from '@molecule/test-support'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadBridgeConfig } from './bridge-config.js'
import { WorkspacePool } from './workspace-pool.js'

let platform: RunningDevPlatform

beforeAll(async () => {
  platform = await startDevPlatform({ port: 0, logLevel: 'silent' })
})
afterAll(async () => {
  await platform?.close()
})

interface Seen {
  url: string
  headers: Record<string, string>
}

/** Real fetch to the dev platform, recording what each request carried. */
function recordingFetch(seen: Seen[]): typeof fetch {
  return async (input, init) => {
    const headers = Object.fromEntries(
      Object.entries((init?.headers ?? {}) as Record<string, string>).map(([k, v]) => [k.toLowerCase(), v]),
    )
    seen.push({ url: String(input), headers })
    return fetch(input, init)
  }
}

describe('WorkspacePool isolation', () => {
  it('each workspace uses its own token and URL; the org header never goes to a per-entry tenant', async () => {
    const home = await platform.createWorkspace({ name: 'Home', external: true, mint_token: true })
    const foreign = await platform.createWorkspace({ name: 'Foreign', external: true, mint_token: true })
    const foreignUrl = platform.url.replace('127.0.0.1', 'localhost')
    const configsDir = mkdtempSync(join(tmpdir(), 'pool-'))
    const config = loadBridgeConfig({
      PLATFORM_URL: platform.url,
      CONFIGS_DIR: configsDir,
      MOLECULE_ORG_ID: 'org-home',
      MOLECULE_HEARTBEAT_INTERVAL_MS: '50',
      MOLECULE_MCP_POLL_INTERVAL_MS: '50',
      MOLECULE_WORKSPACES: JSON.stringify([
        { id: home.id, token: home.token },
        { id: foreign.id, token: foreign.token, platform_url: foreignUrl },
      ]),
    })
    const seen: Seen[] = []
    const pool = new WorkspacePool(config, silentLogger, { fetch: recordingFetch(seen) })
    await pool.start()
    try {
      await until(() => seen.filter((s) => s.url.includes('/activity')).length >= 4)
      const toHome = seen.filter((s) => s.headers['x-workspace-id'] === home.id)
      const toForeign = seen.filter((s) => s.headers['x-workspace-id'] === foreign.id)
      expect(toHome.length).toBeGreaterThan(0)
      expect(toForeign.length).toBeGreaterThan(0)
      for (const s of toHome) {
        expect(s.url.startsWith(platform.url)).toBe(true)
        expect(s.headers.authorization).toBe(`Bearer ${home.token}`)
        expect(s.headers['x-molecule-org-id']).toBe('org-home')
      }
      for (const s of toForeign) {
        expect(s.url.startsWith(foreignUrl)).toBe(true)
        expect(s.headers.authorization).toBe(`Bearer ${foreign.token}`)
        expect(s.headers['x-molecule-org-id']).toBeUndefined()
        expect(s.headers.origin).toBe(foreignUrl)
      }
      expect(platform.state.get(foreign.id)?.delivery_mode).toBe('poll')
    } finally {
      await pool.stop()
    }
  })

  it('cursor files carry the full workspace id, so ids sharing a prefix never collide', async () => {
    const configsDir = mkdtempSync(join(tmpdir(), 'pool-cursor-'))
    const a = await platform.createWorkspace({
      id: 'abcdef12-0000-4000-8000-000000000001',
      name: 'P1',
      external: true,
      mint_token: true,
    })
    const b = await platform.createWorkspace({
      id: 'abcdef12-0000-4000-8000-000000000002',
      name: 'P2',
      external: true,
      mint_token: true,
    })
    const config = loadBridgeConfig({
      PLATFORM_URL: platform.url,
      CONFIGS_DIR: configsDir,
      MOLECULE_MCP_POLL_INTERVAL_MS: '20',
      MOLECULE_WORKSPACES: JSON.stringify([
        { id: a.id, token: a.token },
        { id: b.id, token: b.token },
      ]),
    })
    const pool = new WorkspacePool(config, silentLogger)
    await pool.start()
    try {
      for (const ws of [a, b]) {
        await fetch(`${platform.url}/workspaces/${ws.id}/a2a`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({
            jsonrpc: '2.0',
            id: 1,
            method: 'message/send',
            params: { message: { role: 'user', messageId: ws.id, parts: [{ kind: 'text', text: ws.id }] } },
          }),
        })
      }
      await until(() => pool.pending().length === 2)
      for (const message of pool.pending()) expect(await pool.pop(message.activity_id)).toBe(true)
      const files = readdirSync(configsDir).filter((f) => f.includes('cursor'))
      expect(files.sort()).toEqual([expect.stringContaining(a.id), expect.stringContaining(b.id)])
    } finally {
      await pool.stop()
    }
  })

  it('a token revoked while running disables only that workspace', async () => {
    const stays = await platform.createWorkspace({ name: 'Stays', external: true, mint_token: true })
    const goes = await platform.createWorkspace({ name: 'Goes', external: true, mint_token: true })
    const config = loadBridgeConfig({
      PLATFORM_URL: platform.url,
      CONFIGS_DIR: mkdtempSync(join(tmpdir(), 'pool-revoke-')),
      MOLECULE_HEARTBEAT_INTERVAL_MS: '30',
      MOLECULE_MCP_POLL_INTERVAL_MS: '30',
      MOLECULE_WORKSPACES: JSON.stringify([
        { id: stays.id, token: stays.token },
        { id: goes.id, token: goes.token },
      ]),
    })
    const pool = new WorkspacePool(config, silentLogger)
    await pool.start()
    try {
      expect(pool.problemWith(goes.id)).toBeUndefined()
      platform.state.tokens.revokeAll(goes.id)
      platform.state.tokens.mint(goes.id)
      await until(() => pool.problemWith(goes.id)?.includes('rejected its token') === true)
      const before = platform.state.get(stays.id)?.last_heartbeat_at ?? 0
      await until(() => (platform.state.get(stays.id)?.last_heartbeat_at ?? 0) > before)
      expect(pool.problemWith(stays.id)).toBeUndefined()
    } finally {
      await pool.stop()
    }
  })

  it('a register answered 429 is retried no sooner than its Retry-After', async () => {
    const ws = await platform.createWorkspace({ name: 'Limited', external: true, mint_token: true })
    const config = loadBridgeConfig({
      PLATFORM_URL: platform.url,
      CONFIGS_DIR: mkdtempSync(join(tmpdir(), 'pool-429-')),
      MOLECULE_HEARTBEAT_INTERVAL_MS: '50',
      MOLECULE_MCP_POLL_INTERVAL_MS: '50',
      WORKSPACE_ID: ws.id,
      MOLECULE_WORKSPACE_TOKEN: ws.token,
    })
    const registers: number[] = []
    const limited: typeof fetch = async (input, init) => {
      if (String(input).endsWith('/registry/register')) {
        registers.push(Date.now())
        if (registers.length === 1) {
          return new Response(JSON.stringify({ error: 'rate limit exceeded', retry_after: 2 }), {
            status: 429,
            headers: { 'content-type': 'application/json', 'retry-after': '2' },
          })
        }
      }
      return fetch(input, init)
    }
    const pool = new WorkspacePool(config, silentLogger, { fetch: limited })
    await pool.start()
    try {
      await until(() => registers.length >= 2 && pool.problemWith(ws.id) === undefined, 6_000)
      expect((registers[1] ?? 0) - (registers[0] ?? 0)).toBeGreaterThanOrEqual(1_900)
    } finally {
      await pool.stop()
    }
  })

  it('keeps the platform inbound secret 0600, written atomically: a planted temp-name symlink is never followed', async () => {
    const ws = await platform.createWorkspace({ name: 'Secret', external: true, mint_token: true })
    const configsDir = mkdtempSync(join(tmpdir(), 'pool-secret-'))
    const victim = join(mkdtempSync(join(tmpdir(), 'pool-victim-')), 'victim.txt')
    writeFileSync(victim, 'untouched')
    // The name the old hand-made write used; a local attacker could plant it before the bridge starts.
    symlinkSync(victim, join(configsDir, `.platform_inbound_secret.${process.pid}.tmp`))
    const config = loadBridgeConfig({
      PLATFORM_URL: platform.url,
      CONFIGS_DIR: configsDir,
      MOLECULE_HEARTBEAT_INTERVAL_MS: '50',
      WORKSPACE_ID: ws.id,
      MOLECULE_WORKSPACE_TOKEN: ws.token,
    })
    const secret = 'inbound-secret-value-0123456789' // secret-scan: allow (a fake the test injects)
    const withSecret: typeof fetch = async (input, init) => {
      const res = await fetch(input, init)
      if (!String(input).endsWith('/registry/register') || !res.ok) return res
      const body = { ...((await res.json()) as object), platform_inbound_secret: secret }
      return new Response(JSON.stringify(body), { status: res.status, headers: res.headers })
    }
    const pool = new WorkspacePool(config, silentLogger, { fetch: withSecret })
    await pool.start()
    const file = join(configsDir, '.platform_inbound_secret')
    try {
      await until(() => {
        try {
          return readFileSync(file, 'utf8') === secret
        } catch {
          return false
        }
      })
    } finally {
      await pool.stop()
    }
    expect(statSync(file).mode & 0o777).toBe(0o600)
    expect(knownSecrets()).toContain(secret)
    expect(readFileSync(victim, 'utf8')).toBe('untouched')
    expect(
      readdirSync(configsDir).filter(
        (f) =>
          f.startsWith('.platform_inbound_secret.') &&
          f.endsWith('.tmp') &&
          !f.includes(`.${process.pid}.tmp`),
      ),
    ).toEqual([])
  })
})

describe('WorkspacePool, many workspaces on one platform', () => {
  it('their loops take turns: at most 8 polls and 8 heartbeats in flight at once, and every workspace is served', async () => {
    const entries: { id: string; token: string | undefined }[] = []
    for (let i = 0; i < 24; i++) {
      const ws = await platform.createWorkspace({ name: `Fleet ${i}`, external: true, mint_token: true })
      entries.push({ id: ws.id, token: ws.token })
    }
    const config = loadBridgeConfig({
      PLATFORM_URL: platform.url,
      CONFIGS_DIR: mkdtempSync(join(tmpdir(), 'pool-turns-')),
      MOLECULE_HEARTBEAT_INTERVAL_MS: '100',
      MOLECULE_MCP_POLL_INTERVAL_MS: '100',
      MOLECULE_WORKSPACES: JSON.stringify(entries),
    })
    const inFlight = { polls: 0, heartbeats: 0 }
    const most = { polls: 0, heartbeats: 0 }
    const served = { polls: new Map<string, number>(), heartbeats: new Map<string, number>() }
    // A platform that takes a few milliseconds per answer, so calls started together overlap.
    const slowFetch: typeof fetch = async (input, init) => {
      const url = String(input)
      const kind = url.includes('/activity')
        ? 'polls'
        : url.endsWith('/registry/heartbeat')
          ? 'heartbeats'
          : undefined
      if (kind === undefined) return fetch(input, init)
      const workspaceId = new Headers(init?.headers).get('x-workspace-id') ?? ''
      served[kind].set(workspaceId, (served[kind].get(workspaceId) ?? 0) + 1)
      most[kind] = Math.max(most[kind], ++inFlight[kind])
      try {
        await new Promise((r) => setTimeout(r, 5))
        return await fetch(input, init)
      } finally {
        inFlight[kind]--
      }
    }
    const pool = new WorkspacePool(config, silentLogger, { fetch: slowFetch })
    await pool.start()
    try {
      const everyOneTwice = (counts: Map<string, number>) =>
        entries.every((e) => (counts.get(e.id) ?? 0) >= 2)
      await until(() => everyOneTwice(served.polls) && everyOneTwice(served.heartbeats), 10_000)
      expect(most.polls).toBeLessThanOrEqual(8)
      expect(most.heartbeats).toBeLessThanOrEqual(8)
      // They do overlap, up to the limit: taking turns is not one call at a time.
      expect(most.polls).toBeGreaterThan(1)
    } finally {
      await pool.stop()
    }
  })
})
