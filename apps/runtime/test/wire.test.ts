import { randomUUID } from 'node:crypto'
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises'
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { silentLogger } from '@molecule/core'
import { until } from '@molecule/test-support'
import { afterEach, describe, expect, it } from 'vitest'
import { type RunningRuntime, startRuntime } from '../src/index.js'
import { inProcessEnv } from './support/runtime-process.js'

/**
 * The runtime's wire contract against a platform that only records (the endpoints are described in
 * docs/platform-contract.md): the exact `POST /registry/register` body and card keys, the `POST /registry/heartbeat`
 * fields, the served card, the A2A messages it sends itself, and the `/transcript` token rule.
 */
interface Recorded {
  method: string
  path: string
  headers: IncomingHttpHeaders
  body: Record<string, unknown>
}

const TOKEN = 'tok_abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG'

async function recordingPlatform(delegations: (workspaceId: string) => unknown[] = () => []) {
  const requests: Recorded[] = []
  const server: Server = createServer((req, res) => {
    let raw = ''
    req.on('data', (c) => {
      raw += c
    })
    req.on('end', () => {
      const path = (req.url ?? '').split('?')[0] ?? ''
      requests.push({
        method: req.method ?? '',
        path,
        headers: req.headers,
        body: raw ? (JSON.parse(raw) as Record<string, unknown>) : {},
      })
      res.setHeader('content-type', 'application/json')
      if (path === '/registry/register')
        return res.end(JSON.stringify({ status: 'registered', auth_token: TOKEN }))
      if (path === '/registry/heartbeat') return res.end(JSON.stringify({ status: 'ok' }))
      if (path.endsWith('/delegations')) return res.end(JSON.stringify(delegations(path.split('/')[2] ?? '')))
      if (path.endsWith('/a2a')) {
        const id = (JSON.parse(raw) as { id?: unknown }).id ?? null
        return res.end(
          JSON.stringify({
            jsonrpc: '2.0',
            id,
            result: { kind: 'message', role: 'agent', messageId: 'r', parts: [{ kind: 'text', text: 'ok' }] },
          }),
        )
      }
      if (path.endsWith('/notify')) return res.end(JSON.stringify({ status: 'sent' }))
      if (/^\/workspaces\/[^/]+$/.test(path)) return res.end(JSON.stringify({ id: 'x', name: 'x' }))
      res.statusCode = 404
      res.end(JSON.stringify({ error: 'not found' }))
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  return { url, requests, close: () => new Promise<void>((r) => server.close(() => r())) }
}

let runtime: RunningRuntime | undefined
let platform: Awaited<ReturnType<typeof recordingPlatform>> | undefined
afterEach(async () => {
  await runtime?.stop('test')
  runtime = undefined
  await platform?.close()
  platform = undefined
})

async function boot(
  configYaml: string,
  env: Record<string, string> = {},
  delegations?: (workspaceId: string) => unknown[],
  files: Record<string, string> = {},
) {
  platform = await recordingPlatform(delegations)
  const root = await mkdtemp(join(tmpdir(), 'molecule-wire-'))
  await writeFile(join(root, 'config.yaml'), configYaml)
  for (const [name, text] of Object.entries(files)) {
    await mkdir(join(root, name, '..'), { recursive: true })
    await writeFile(join(root, name), text)
  }
  const workspaceId = randomUUID()
  runtime = await startRuntime({
    logger: silentLogger,
    env: inProcessEnv(root, workspaceId, platform.url, {
      HOSTNAME: 'agent-wire.local',
      MOLECULE_HEARTBEAT_INTERVAL_MS: '100',
      MOLECULE_REGISTER_RETRY_BASE_MS: '20',
      MOLECULE_REGISTER_RETRY_MAX_MS: '50',
      MOLECULE_SHUTDOWN_GRACE_MS: '200',
      MOLECULE_READINESS_INTERVAL_MS: '20',
      ...env,
    }),
  })
  const local = `http://127.0.0.1:${runtime.port}`
  return { workspaceId, local, platform, root }
}

const ECHO = 'name: Wire\nruntime: echo\nversion: 2.0.1\na2a:\n  port: 8000\n  streaming: true\n'

describe('wire contract', () => {
  it('registers with exactly {id, url, agent_card} and the platform card', async () => {
    const { workspaceId, platform: p } = await boot(ECHO)
    await runtime?.registered
    expect(runtime?.url).toBe(`http://agent-wire.local:${runtime?.port}`)
    const register = await until(() => p.requests.find((r) => r.path === '/registry/register'))
    expect(register.method).toBe('POST')
    expect(Object.keys(register.body ?? {}).sort()).toEqual(['agent_card', 'id', 'url'])
    expect(register.body).toEqual({
      id: workspaceId,
      url: runtime?.url,
      agent_card: {
        name: 'Wire',
        description: '',
        version: '2.0.1',
        url: runtime?.url,
        skills: [],
        capabilities: { streaming: true, pushNotifications: true },
      },
    })
    // First register of a workspace without a token: no Authorization header to send yet.
    expect(register.headers.authorization).toBeUndefined()
    expect(register.headers['x-workspace-id']).toBe(workspaceId)
  })

  it('advertises the bind address when HOSTNAME is unset and the server is not bound to a wildcard', async () => {
    const { platform: p } = await boot(ECHO, { HOSTNAME: '' })
    await runtime?.registered
    const register = await until(() => p.requests.find((r) => r.path === '/registry/register'))
    expect(register.body.url).toBe(`http://127.0.0.1:${runtime?.port}`)
    expect((register.body.agent_card as { url: string }).url).toBe(register.body.url)
  })

  it('puts the loaded skills on both cards (platform card without examples)', async () => {
    const { local, platform: p } = await boot(`${ECHO}skills: [summarise]\n`, {}, undefined, {
      'skills/summarise/SKILL.md':
        '---\nname: Summarise\ndescription: Condense long text\ntags: [text]\nexamples: [sum this]\n---\nBe brief.',
    })
    await runtime?.registered
    const register = await until(() => p.requests.find((r) => r.path === '/registry/register'))
    expect((register.body.agent_card as { skills: unknown }).skills).toEqual([
      { id: 'summarise', name: 'Summarise', description: 'Condense long text', tags: ['text'] },
    ])
    const card = (await (await fetch(`${local}/.well-known/agent-card.json`)).json()) as { skills: unknown }
    expect(card.skills).toEqual([
      {
        id: 'summarise',
        name: 'Summarise',
        description: 'Condense long text',
        tags: ['text'],
        examples: ['sum this'],
      },
    ])
  })

  it('heartbeats carry exactly the heartbeat fields, the bearer token and all seven capability flags', async () => {
    const { workspaceId, platform: p } = await boot(ECHO)
    const beat = await until(() => p.requests.find((r) => r.path === '/registry/heartbeat'))
    expect(beat.headers.authorization).toBe(`Bearer ${TOKEN}`)
    expect(Object.keys(beat.body).sort()).toEqual([
      'active_tasks',
      'current_task',
      'error_rate',
      'runtime_metadata',
      'sample_error',
      'uptime_seconds',
      'workspace_id',
    ])
    expect(beat.body).toMatchObject({
      workspace_id: workspaceId,
      error_rate: 0,
      sample_error: '',
      active_tasks: 0,
      current_task: '',
      runtime_metadata: {
        capabilities: {
          heartbeat: false,
          scheduler: false,
          session: false,
          status_mgmt: false,
          retry: false,
          activity_decoration: false,
          channel_dispatch: false,
        },
      },
    })
    expect(Number.isInteger(beat.body.uptime_seconds)).toBe(true)
  })

  it('serves the agent card at both well-known paths with every default', async () => {
    const { local } = await boot(ECHO)
    const card = (await (await fetch(`${local}/.well-known/agent-card.json`)).json()) as Record<
      string,
      unknown
    >
    const legacy = await (await fetch(`${local}/.well-known/agent.json`)).json()
    expect(legacy).toEqual(card)
    expect(card).toMatchObject({
      name: 'Wire',
      description: 'Wire',
      version: '2.0.1',
      url: runtime?.url,
      capabilities: { streaming: true, pushNotifications: true, stateTransitionHistory: true },
      defaultInputModes: ['text/plain', 'application/json'],
      defaultOutputModes: ['text/plain', 'application/json'],
      skills: [],
      preferredTransport: 'JSONRPC',
    })
    expect(card.additionalInterfaces).toEqual([
      { url: runtime?.url, transport: 'JSONRPC' },
      { url: `${runtime?.url}/a2a`, transport: 'JSONRPC' },
    ])
  })

  it('sends initial and idle prompts as v0.3 message/send with kind-tagged parts through the proxy', async () => {
    const { workspaceId, platform: p } = await boot(
      `${ECHO}initial_prompt: read your notes\nidle_prompt: anything new?\nidle_interval_seconds: 60\n`,
      { MOLECULE_IDLE_INTERVAL_MS: '100', MOLECULE_IDLE_SETTLE_MS: '0' },
    )
    const proxied = () => p.requests.filter((r) => r.path === `/workspaces/${workspaceId}/a2a`)
    const byText = (text: string) => proxied().find((r) => JSON.stringify(r.body).includes(text))
    const initial = await until(() => byText('read your notes'))
    const idle = await until(() => byText('anything new?'))
    for (const [request, prefix] of [
      [initial, 'initial'],
      [idle, 'idle'],
    ] as const) {
      expect(request.headers['x-workspace-id']).toBe(workspaceId)
      expect(request.headers.authorization).toBe(`Bearer ${TOKEN}`)
      expect(request.body).toMatchObject({ jsonrpc: '2.0', method: 'message/send' })
      const message = (request.body.params as { message: Record<string, unknown> }).message
      expect(Object.keys(message).sort()).toEqual(['messageId', 'parts', 'role'])
      expect(message.role).toBe('user')
      expect(message.messageId).toMatch(new RegExp(`^${prefix}-[0-9a-f]{8}$`))
      expect(message.parts).toEqual([
        { kind: 'text', text: prefix === 'initial' ? 'read your notes' : 'anything new?' },
      ])
    }
  })

  it('announces delegation results with the same message shape and a results-only text', async () => {
    const id = randomUUID()
    const { workspaceId, platform: p } = await boot(
      ECHO,
      { MOLECULE_DELEGATION_POLL_MS: '50', MOLECULE_SELF_MESSAGE_COOLDOWN_MS: '0' },
      (self) => [
        {
          id: 'activity-row-1',
          delegation_id: id,
          source_id: self,
          target_id: 'peer',
          status: 'completed',
          summary: 'quarterly numbers',
          response_preview: 'RAW PEER REPLY',
        },
      ],
    )
    const wake = await until(() =>
      p.requests.find(
        (r) => r.path === `/workspaces/${workspaceId}/a2a` && JSON.stringify(r.body).includes(id.slice(0, 8)),
      ),
    )
    const message = (wake.body.params as { message: Record<string, unknown> }).message
    expect(message.messageId).toMatch(/^delegation-results-[0-9a-f]{8}$/)
    expect(message.parts).toEqual([{ kind: 'text', text: expect.stringContaining('[completed] Delegation') }])
    expect(JSON.stringify(message)).not.toContain('RAW PEER REPLY')
    const notify = await until(() => p.requests.find((r) => r.path === `/workspaces/${workspaceId}/notify`))
    expect(notify.body.message).toBe('Delegation completed: quarterly numbers\nResult: RAW PEER REPLY')
  })

  it('guards /transcript with exactly `Bearer <workspace token>`, failing closed without one', async () => {
    const { local, platform: p } = await boot(ECHO, { PLATFORM_URL: 'http://127.0.0.1:9' })
    void p
    const get = (auth?: string, query = '') =>
      fetch(`${local}/transcript${query}`, auth ? { headers: { Authorization: auth } } : {})
    // No token on disk yet (the platform is unreachable, nothing was minted): 401 whatever is sent.
    const closed = await get(`Bearer ${TOKEN}`)
    expect(closed.status).toBe(401)
    expect(await closed.json()).toEqual({ error: 'unauthorized' })
  })

  it('accepts the on-disk token on /transcript and nothing else', async () => {
    const { local } = await boot(ECHO)
    await runtime?.registered
    const get = (auth?: string, query = '') =>
      fetch(`${local}/transcript${query}`, auth ? { headers: { Authorization: auth } } : {})
    for (const bad of [
      undefined,
      `bearer ${TOKEN}`,
      `Bearer  ${TOKEN}`,
      `Token ${TOKEN}`,
      'Bearer nope',
      TOKEN,
    ]) {
      expect((await get(bad)).status).toBe(401)
    }
    const ok = await get(`Bearer ${TOKEN}`, '?since=3&limit=10')
    expect(ok.status).toBe(200)
    expect(await ok.json()).toEqual({
      runtime: 'echo',
      supported: false,
      lines: [],
      cursor: 3,
      more: false,
      source: null,
    })
    const bad = await get(`Bearer ${TOKEN}`, '?since=x')
    expect(bad.status).toBe(400)
    expect(await bad.json()).toEqual({ error: 'since and limit must be integers' })
  })
})
