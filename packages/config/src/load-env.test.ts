import { isMoleculeError } from '@molecule/core'
import { leakedPiece, workspaceTokens } from '@molecule/test-support'
import { describe, expect, it } from 'vitest'
import { loadEnv } from './load-env.ts'

function envError(env: NodeJS.ProcessEnv) {
  try {
    loadEnv(env, { inDocker: false })
  } catch (err) {
    if (isMoleculeError(err)) return err
    throw err
  }
  throw new Error('expected loadEnv to throw')
}

describe('loadEnv', () => {
  it('resolves defaults for an empty environment outside Docker', () => {
    const env = loadEnv({}, { inDocker: false, inContainer: false })
    expect(env).toEqual({
      workspaceId: undefined,
      configPath: '/configs',
      configsDir: '/configs',
      configsDirSource: 'default',
      platformUrl: 'http://localhost:8080',
      platformUrlSource: 'default',
      inDocker: false,
      inContainer: false,
      hostname: undefined,
      agentUrl: undefined,
      adapterModule: undefined,
      modelProvider: undefined,
      parentId: '',
      pluginsDir: '/plugins',
      agentSnapshotPath: '/configs/.agent_snapshot.json',
      delegationResultsFile: '/configs/.delegation_results.jsonl',
      a2aMcpServerPath: undefined,
      disableImageInlining: false,
      langgraphRecursionLimit: 500,
      heartbeatIntervalMs: 30_000,
      mcpPollIntervalMs: 5_000,
      workspaceTier: 1,
      delegation: {},
      sandbox: {},
      get: expect.any(Function),
    })
  })

  it('keeps state in the config directory outside a container, in /configs inside one', () => {
    const laptop = loadEnv(
      { WORKSPACE_CONFIG_PATH: '/home/me/agent/' },
      { inDocker: false, inContainer: false },
    )
    expect(laptop.configsDir).toBe('/home/me/agent/')
    expect(laptop.agentSnapshotPath).toBe('/home/me/agent/.agent_snapshot.json')
    expect(laptop.delegationResultsFile).toBe('/home/me/agent/.delegation_results.jsonl')
    const container = loadEnv({ WORKSPACE_CONFIG_PATH: '/srv/cfg' }, { inDocker: false, inContainer: true })
    expect(container.configsDir).toBe('/configs')
    expect(container.agentSnapshotPath).toBe('/configs/.agent_snapshot.json')
    const explicit = loadEnv({ WORKSPACE_CONFIG_PATH: '/a', CONFIGS_DIR: '/b' }, { inContainer: false })
    expect(explicit.configsDir).toBe('/b')
  })

  it('defaults PLATFORM_URL to host.docker.internal inside Docker (DOCKER_VERSION or detection)', () => {
    expect(loadEnv({}, { inDocker: true }).platformUrl).toBe('http://host.docker.internal:8080')
    const viaVar = loadEnv({ DOCKER_VERSION: '24.0' })
    expect(viaVar.inDocker).toBe(true)
    expect(viaVar.platformUrl).toBe('http://host.docker.internal:8080')
  })

  it('reads every core variable into camelCase fields', () => {
    const env = loadEnv(
      {
        WORKSPACE_ID: ' 7d1c2f8e-0000-4000-8000-000000000001 ',
        WORKSPACE_CONFIG_PATH: '/srv/cfg',
        CONFIGS_DIR: '/srv/tok/',
        PLATFORM_URL: 'https://platform.example:9443/',
        HOSTNAME: 'ws-1',
        AGENT_URL: 'http://ws-1:8000/a2a',
        ADAPTER_MODULE: '@acme/adapter',
        MODEL_PROVIDER: 'openai:gpt-5',
        PARENT_ID: 'parent-1',
        PLUGINS_DIR: '/opt/plugins',
        DELEGATION_RESULTS_FILE: '/tmp/r.jsonl',
        A2A_MCP_SERVER_PATH: '/app/mcp.js',
        MOLECULE_DISABLE_IMAGE_INLINING: 'Yes',
        LANGGRAPH_RECURSION_LIMIT: '50',
        MOLECULE_HEARTBEAT_INTERVAL_MS: '25',
        MOLECULE_MCP_POLL_INTERVAL_MS: '10',
        WORKSPACE_TIER: '0',
      },
      { inDocker: false },
    )
    expect(env).toMatchObject({
      workspaceId: '7d1c2f8e-0000-4000-8000-000000000001',
      configPath: '/srv/cfg',
      configsDir: '/srv/tok/',
      configsDirSource: 'env',
      platformUrl: 'https://platform.example:9443',
      platformUrlSource: 'env',
      hostname: 'ws-1',
      agentUrl: 'http://ws-1:8000/a2a',
      adapterModule: '@acme/adapter',
      modelProvider: 'openai:gpt-5',
      parentId: 'parent-1',
      pluginsDir: '/opt/plugins',
      agentSnapshotPath: '/srv/tok/.agent_snapshot.json',
      delegationResultsFile: '/tmp/r.jsonl',
      a2aMcpServerPath: '/app/mcp.js',
      disableImageInlining: true,
      langgraphRecursionLimit: 50,
      heartbeatIntervalMs: 25,
      mcpPollIntervalMs: 10,
      workspaceTier: 0,
    })
  })

  it('says whether PLATFORM_URL and CONFIGS_DIR were set (blank counts as unset)', () => {
    const unset = loadEnv({ PLATFORM_URL: '  ', CONFIGS_DIR: '' }, { inDocker: true })
    expect(unset.platformUrlSource).toBe('default')
    expect(unset.platformUrl).toBe('http://host.docker.internal:8080')
    expect(unset.configsDirSource).toBe('default')
    const set = loadEnv(
      { PLATFORM_URL: 'http://localhost:8080', CONFIGS_DIR: '/configs' },
      { inDocker: false },
    )
    expect(set.platformUrlSource).toBe('env')
    expect(set.configsDirSource).toBe('env')
  })

  it('takes per-process interval defaults from options, but a set variable still wins', () => {
    const defaults = { heartbeatIntervalMs: 20_000, mcpPollIntervalMs: 7_000 }
    expect(loadEnv({}, { inDocker: false, defaults })).toMatchObject(defaults)
    expect(
      loadEnv(
        { MOLECULE_HEARTBEAT_INTERVAL_MS: '15', MOLECULE_MCP_POLL_INTERVAL_MS: '9' },
        { inDocker: false, defaults },
      ),
    ).toMatchObject({ heartbeatIntervalMs: 15, mcpPollIntervalMs: 9 })
  })

  it('keeps MODEL_PROVIDER when set to an empty string (upstream replaces model even then)', () => {
    expect(loadEnv({ MODEL_PROVIDER: '' }, { inDocker: false }).modelProvider).toBe('')
  })

  it('collects only the delegation and sandbox overrides that are set', () => {
    const env = loadEnv(
      {
        DELEGATION_RETRY_ATTEMPTS: '5',
        DELEGATION_TIMEOUT: '300.5',
        SANDBOX_BACKEND: 'docker',
        SANDBOX_MEMORY_LIMIT: '1g',
      },
      { inDocker: false },
    )
    expect(env.delegation).toEqual({ retryAttempts: 5, timeout: 300.5 })
    expect(env.sandbox).toEqual({ backend: 'docker', memoryLimit: '1g' })
  })

  it('exposes other variables through get(), which survives spreading and never serializes', () => {
    const env = loadEnv({ SECRET_TOKEN: 'shh' }, { inDocker: false })
    expect(env.get('SECRET_TOKEN')).toBe('shh')
    expect({ ...env }.get('SECRET_TOKEN')).toBe('shh')
    expect(JSON.stringify(env)).not.toContain('shh')
  })

  it.each([
    ['MOLECULE_HEARTBEAT_INTERVAL_MS', 'soon'],
    ['MOLECULE_HEARTBEAT_INTERVAL_MS', '0'],
    ['MOLECULE_HEARTBEAT_INTERVAL_MS', '1.5'],
    ['MOLECULE_MCP_POLL_INTERVAL_MS', '-1'],
    ['MOLECULE_MCP_POLL_INTERVAL_MS', '99999999999999999999'],
    ['LANGGRAPH_RECURSION_LIMIT', 'lots'],
    ['WORKSPACE_TIER', 'gold'],
    ['DELEGATION_RETRY_ATTEMPTS', 'x'],
    ['DELEGATION_RETRY_DELAY', '-2'],
    ['DELEGATION_TIMEOUT', 'NaN'],
    ['SANDBOX_TIMEOUT', 'Infinity'],
    ['SANDBOX_BACKEND', 'firecracker'],
    ['PLATFORM_URL', 'not a url'],
    ['PLATFORM_URL', 'ftp://files.example'],
    ['AGENT_URL', 'localhost:8000'],
  ])('rejects %s=%s with ENV_INVALID naming the variable', (name, value) => {
    const err = envError({ [name]: value })
    expect(err.code).toBe('ENV_INVALID')
    expect(err.path).toBe(name)
    expect(err.message).toContain(name)
    expect(err.message).toContain('Fix:')
    expect(err.fix).toBeTruthy()
  })

  it('keeps delegation results next to the token, in the configs dir, not in a shared /tmp', () => {
    expect(loadEnv({ CONFIGS_DIR: '/srv/tok/' }, { inDocker: false }).delegationResultsFile).toBe(
      '/srv/tok/.delegation_results.jsonl',
    )
    expect(loadEnv({}, { inDocker: false }).delegationResultsFile).toBe('/configs/.delegation_results.jsonl')
  })

  it('masks a secret pasted into a variable before echoing the value', () => {
    const [token] = workspaceTokens(1, 3) as [string]
    for (const env of [
      { PLATFORM_URL: token },
      { PLATFORM_URL: `https://${token}@platform.example:x` },
      { MOLECULE_HEARTBEAT_INTERVAL_MS: `Bearer ${token}` },
      { SANDBOX_BACKEND: `password=${token.slice(0, 20)}` },
    ]) {
      const err = envError(env)
      expect(err.message).toContain('[REDACTED]')
      expect(leakedPiece(err.message, token)).toBeUndefined()
    }
  })

  it('truncates long invalid values in the message', () => {
    const err = envError({ PLATFORM_URL: `x${'y'.repeat(500)}` })
    expect(err.message.length).toBeLessThan(300)
  })

  it('treats blank values as unset', () => {
    const env = loadEnv({ MOLECULE_HEARTBEAT_INTERVAL_MS: '  ', PLATFORM_URL: '' }, { inDocker: false })
    expect(env.heartbeatIntervalMs).toBe(30_000)
    expect(env.platformUrl).toBe('http://localhost:8080')
  })
})
