import type { RunningDevPlatform } from '@molecule/dev-platform'
import bridgeManifest from '@molecule/mcp-bridge/package.json' with { type: 'json' }
import { describe, expect, it } from 'vitest'
import { baseEnv, externalWorkspace, runBundle, singleEnv, tempDir, useDevPlatform } from './harness.js'

let platform: RunningDevPlatform

useDevPlatform((started) => {
  platform = started
})

const UUID = '6f1c2d3e-4a5b-4c6d-8e7f-001122334455'

describe('invalid MOLECULE_WORKSPACES exits 2 with every problem listed', () => {
  const cases: Array<[string, string, RegExp[]]> = [
    ['bad JSON', '[{"id": ', [/^molecule-mcp: invalid MOLECULE_WORKSPACES:/m, /not valid JSON/]],
    ['not an array', '{"id":"a"}', [/must be a JSON array/]],
    ['empty array', '[]', [/empty array/]],
    ['non-object entry', '[42]', [/entry 0: must be an object/]],
    ['missing token', `[{"id":"${UUID}"}]`, [/entry 0: "token" is missing/]],
    ['blank id', '[{"id":" ","token":"t"}]', [/entry 0: "id" is blank/]],
    [
      'duplicate id',
      `[{"id":"${UUID}","token":"t"},{"id":"${UUID}","token":"u"}]`,
      [/entry 1: duplicate id/],
    ],
    ['id outside the pattern', '[{"id":"../../etc","token":"t"}]', [/entry 0: id '..\/..\/etc' must match/]],
    [
      'non-string platform_url',
      `[{"id":"${UUID}","token":"t","platform_url":5}]`,
      [/"platform_url" must be a string/],
    ],
  ]
  for (const [name, value, patterns] of cases) {
    it(name, async () => {
      const env = { ...baseEnv(platform.url, tempDir('mcp-bad-')), MOLECULE_WORKSPACES: value }
      const { code, stderr, stdout } = await runBundle([], env)
      expect(code).toBe(2)
      expect(stdout).toBe('')
      for (const pattern of patterns) expect(stderr).toMatch(pattern)
      expect(stderr).not.toMatch(/at .*\.js:\d+/)
    })
  }

  it('lists several problems at once, one per line', async () => {
    const env: Record<string, string> = {
      ...baseEnv('', tempDir('mcp-bad-')),
      MOLECULE_WORKSPACES: '[{"id":"X"},{"token":"t"}]',
    }
    env.PLATFORM_URL = ''
    const { code, stderr } = await runBundle([], env)
    expect(code).toBe(2)
    const lines = stderr.split('\n').filter((l) => l.startsWith('  entry'))
    expect(lines.length).toBeGreaterThanOrEqual(4)
    expect(stderr).toMatch(/no "platform_url" and PLATFORM_URL is not set/)
  })

  it('accepts per-entry platform_url without PLATFORM_URL (doctor runs)', async () => {
    const ws = await externalWorkspace(platform, 'Doctor Solo')
    const env: Record<string, string> = {
      ...baseEnv('', tempDir('mcp-doc-')),
      MOLECULE_WORKSPACES: JSON.stringify([{ id: ws.id, token: ws.token, platform_url: `${platform.url}/` }]),
    }
    env.PLATFORM_URL = ''
    const { code, stdout } = await runBundle(['doctor'], env)
    expect(stdout).toContain(ws.id)
    expect(stdout).toMatch(/All checks passed/)
    expect(code).toBe(0)
  })
})

describe('invalid core variables (resolved by loadEnv) exit 2 with every problem listed', () => {
  it('names each bad variable, one per line, and no stack trace', async () => {
    const env = {
      ...baseEnv('ftp://platform', tempDir('mcp-core-')),
      WORKSPACE_ID: UUID,
      MOLECULE_WORKSPACE_TOKEN: 'tok',
      MOLECULE_HEARTBEAT_INTERVAL_MS: 'often',
    }
    const { code, stderr, stdout } = await runBundle([], env)
    expect(code).toBe(2)
    expect(stdout).toBe('')
    expect(stderr).toMatch(/^molecule-mcp: invalid molecule-mcp configuration:$/m)
    expect(stderr).toMatch(/^ {2}PLATFORM_URL: got "ftp:\/\/platform", expected an http\(s\) URL/m)
    expect(stderr).toMatch(/^ {2}MOLECULE_HEARTBEAT_INTERVAL_MS: got "often", expected a whole number/m)
    expect(stderr).toMatch(/Run molecule-mcp --help for every setting\./)
    expect(stderr).not.toMatch(/at .*\.js:\d+/)
  })
})

describe('command line', () => {
  it('--help documents every env var and --version prints the version', async () => {
    const help = await runBundle(['--help'], { PATH: process.env.PATH ?? '' })
    expect(help.code).toBe(0)
    for (const name of [
      'PLATFORM_URL',
      'WORKSPACE_ID',
      'MOLECULE_WORKSPACE_TOKEN',
      'MOLECULE_WORKSPACE_TOKEN_FILE',
      'MOLECULE_WORKSPACES',
      'CONFIGS_DIR',
      'MOLECULE_HEARTBEAT_INTERVAL_MS',
      'MOLECULE_MCP_POLL_INTERVAL_MS',
      'MOLECULE_MCP_POLL_TIMEOUT_SECS',
      'MOLECULE_MCP_VERBOSE',
      'MOLECULE_MCP_DISABLE_INBOX',
      'DELEGATION_TIMEOUT',
      'MOLECULE_ORG_ID',
    ]) {
      expect(help.stdout).toContain(name)
    }
    const version = await runBundle(['--version'], { PATH: process.env.PATH ?? '' })
    expect(version.stdout.trim()).toBe(bridgeManifest.version)
  })

  it('doctor prints a per-workspace table and fails with a fix for a revoked token', async () => {
    const good = await externalWorkspace(platform, 'Doc Good')
    const bad = await externalWorkspace(platform, 'Doc Bad')
    platform.state.tokens.revokeAll(bad.id)
    platform.state.tokens.mint(bad.id)
    const env = {
      ...baseEnv(platform.url, tempDir('mcp-doc-')),
      MOLECULE_WORKSPACES: JSON.stringify([
        { id: good.id, token: good.token },
        { id: bad.id, token: bad.token },
      ]),
    }
    const { code, stdout } = await runBundle(['doctor'], env)
    expect(code).toBe(1)
    const goodLine = stdout.split('\n').find((l) => l.startsWith(good.id)) ?? ''
    const badLine = stdout.split('\n').find((l) => l.startsWith(bad.id)) ?? ''
    expect(goodLine).not.toContain('FAIL')
    expect(badLine).toContain('FAIL')
    expect(stdout).toMatch(new RegExp(`next \\(${bad.id}\\): the token .* is invalid or revoked`))
  })

  it('doctor registers with the configured agent card, never a made-up card that clobbers it', async () => {
    const ws = await externalWorkspace(platform, 'Doc Card')
    const env = {
      ...singleEnv(platform.url, tempDir('mcp-doc-card-'), ws),
      MOLECULE_AGENT_NAME: 'Release Bot',
      MOLECULE_AGENT_DESCRIPTION: 'Drafts release notes',
      MOLECULE_AGENT_SKILLS: 'notes,changelog',
    }
    const { code } = await runBundle(['doctor'], env)
    expect(code).toBe(0)
    expect(platform.state.get(ws.id)?.agent_card).toEqual({
      name: 'Release Bot',
      description: 'Drafts release notes',
      skills: [{ name: 'notes' }, { name: 'changelog' }],
    })
  })

  it('a bad value of a variable only the workspace runtime reads is a warning, not a refusal', async () => {
    const ws = await externalWorkspace(platform, 'Doc Shared Shell')
    const env = { ...singleEnv(platform.url, tempDir('mcp-doc-shell-'), ws), SANDBOX_TIMEOUT: 'long' }
    const { code, stderr } = await runBundle(['doctor'], env)
    expect(code).toBe(0)
    expect(stderr).toMatch(
      /^molecule-mcp: warning: SANDBOX_TIMEOUT: got "long".*only the workspace runtime reads/m,
    )
  })

  it('doctor reports an unreachable platform', async () => {
    const env = singleEnv('http://127.0.0.1:9', tempDir('mcp-doc-'), { id: UUID, token: 't', name: 'x' })
    const { code, stdout } = await runBundle(['doctor'], env)
    expect(code).toBe(1)
    expect(stdout).toMatch(/cannot reach http:\/\/127\.0\.0\.1:9/)
  })

  it('a single workspace whose token is rejected exits 3', async () => {
    const ws = await externalWorkspace(platform, 'Single Bad')
    platform.state.tokens.revokeAll(ws.id)
    platform.state.tokens.mint(ws.id)
    const { code, stderr } = await runBundle([], singleEnv(platform.url, tempDir('mcp-single-'), ws))
    expect(code).toBe(3)
    expect(stderr).toMatch(/rejected its token/)
  })
  it('a single workspace deleted on the platform exits 3 with re-onboarding advice', async () => {
    const ws = await externalWorkspace(platform, 'Single Gone')
    const deleted = await fetch(`${platform.url}/workspaces/${ws.id}?confirm=true`, { method: 'DELETE' })
    expect(deleted.status).toBe(200)
    const { code, stderr } = await runBundle([], singleEnv(platform.url, tempDir('mcp-gone-'), ws))
    expect(code).toBe(3)
    expect(stderr).toMatch(/was removed from the platform/)
    expect(stderr).not.toContain(ws.token)
  })
})
