import { mkdirSync, mkdtempSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { isMoleculeError, MoleculeError } from '@molecule/config'
import { knownSecrets } from '@molecule/core'
import { leakedPiece, workspaceTokens } from '@molecule/test-support'
import { describe, expect, it } from 'vitest'
import {
  BridgeConfigError,
  loadBridgeConfig,
  pollTimeoutSecs,
  readTokenFile,
  resolveConfigsDir,
} from './bridge-config.js'

const dir = () => mkdtempSync(join(tmpdir(), 'bridge-config-'))
const ID = 'b1e2c3d4-0000-4000-8000-000000000001'

/** Never the machine's /configs or home: a stray token there must not change what a test sees. */
const isolated = () => ({ home: dir(), mountedConfigsDir: join(dir(), 'configs') })

function problemsOf(env: Record<string, string>, options = isolated()): string[] {
  try {
    loadBridgeConfig(env, options)
  } catch (err) {
    if (err instanceof BridgeConfigError) return err.problems
    throw err
  }
  return []
}

describe('loadBridgeConfig', () => {
  it('reads single mode, strips the trailing slash, defaults the timers', () => {
    const config = loadBridgeConfig({
      PLATFORM_URL: 'http://127.0.0.1:8080/',
      WORKSPACE_ID: ID,
      MOLECULE_WORKSPACE_TOKEN: 'tok',
      CONFIGS_DIR: dir(),
    })
    expect(config.mode).toBe('single')
    expect(config.workspaces).toEqual([
      { id: ID, token: 'tok', platformUrl: 'http://127.0.0.1:8080', ownUrl: false },
    ])
    expect(config.heartbeatIntervalMs).toBe(20_000)
    expect(config.pollIntervalMs).toBe(5_000)
    expect(config.pollTimeoutSecs).toBe(2)
  })

  it('reads the token from MOLECULE_WORKSPACE_TOKEN_FILE and reports file problems specifically', () => {
    const d = dir()
    writeFileSync(join(d, 'tok'), 'from-file\n')
    const config = loadBridgeConfig({
      PLATFORM_URL: 'http://p',
      WORKSPACE_ID: ID,
      MOLECULE_WORKSPACE_TOKEN_FILE: join(d, 'tok'),
      CONFIGS_DIR: d,
    })
    expect(config.workspaces[0]?.token).toBe('from-file')
    writeFileSync(join(d, 'empty'), '  \n')
    writeFileSync(join(d, 'spaced'), 'two words')
    expect(readTokenFile(join(d, 'empty')).problem).toMatch(/is empty/)
    expect(readTokenFile(join(d, 'spaced')).problem).toMatch(/whitespace inside/)
    expect(readTokenFile(join(d, 'missing')).problem).toMatch(/does not exist/)
    expect(readTokenFile(d).problem).toMatch(/is a directory/)
    writeFileSync(join(d, 'binary'), Buffer.from([0xff, 0xfe, 0x00]))
    expect(readTokenFile(join(d, 'binary')).problem).toMatch(/not UTF-8/)
  })

  it('falls back to <configs>/.auth_token when no token variable is set', () => {
    const d = dir()
    writeFileSync(join(d, '.auth_token'), 'saved-token')
    const config = loadBridgeConfig({ PLATFORM_URL: 'http://p', WORKSPACE_ID: ID, CONFIGS_DIR: d })
    expect(config.workspaces[0]?.token).toBe('saved-token')
  })

  it('never uses a saved token whose owner file names another workspace', () => {
    const options = isolated()
    const mounted = options.mountedConfigsDir
    mkdirSync(mounted)
    writeFileSync(join(mounted, '.auth_token'), 'someone-elses-token')
    writeFileSync(join(mounted, '.auth_token.workspace_id'), 'b1e2c3d4-0000-4000-8000-00000000beef')
    expect(problemsOf({ PLATFORM_URL: 'http://p', WORKSPACE_ID: ID }, options)).toEqual([
      expect.stringMatching(/no token/),
    ])
    writeFileSync(join(mounted, '.auth_token.workspace_id'), ID)
    expect(
      loadBridgeConfig({ PLATFORM_URL: 'http://p', WORKSPACE_ID: ID }, options).workspaces[0]?.token,
    ).toBe('someone-elses-token')
  })

  it('lists every single-mode problem', () => {
    expect(problemsOf({ WORKSPACE_ID: 'BAD ID', MOLECULE_HEARTBEAT_INTERVAL_MS: '-1' })).toEqual([
      expect.stringMatching(/PLATFORM_URL is not set/),
      expect.stringMatching(/WORKSPACE_ID: id 'BAD ID' must match/),
      expect.stringMatching(/no token/),
      expect.stringMatching(/^MOLECULE_HEARTBEAT_INTERVAL_MS: got "-1", expected a whole number 1 or more/),
    ])
  })

  it('resolves the core variables through loadEnv and lists every bad one, PLATFORM_URL first', () => {
    expect(
      problemsOf({
        PLATFORM_URL: 'ftp://platform',
        WORKSPACE_ID: ID,
        MOLECULE_WORKSPACE_TOKEN: 'tok',
        MOLECULE_MCP_POLL_INTERVAL_MS: 'soon',
        DELEGATION_TIMEOUT: 'forever',
        CONFIGS_DIR: dir(),
      }),
    ).toEqual([
      expect.stringMatching(/^PLATFORM_URL: got "ftp:\/\/platform", expected an http\(s\) URL/),
      expect.stringMatching(/^DELEGATION_TIMEOUT: got "forever", expected a number/),
      expect.stringMatching(/^MOLECULE_MCP_POLL_INTERVAL_MS: got "soon", expected a whole number/),
    ])
    expect(
      problemsOf({
        PLATFORM_URL: 'http://p',
        WORKSPACE_ID: ID,
        MOLECULE_WORKSPACE_TOKEN: 't',
        DELEGATION_TIMEOUT: '0',
      }),
    ).toEqual([expect.stringMatching(/^DELEGATION_TIMEOUT: got "0", expected a number of seconds above 0/)])
  })

  it('only warns about bad variables that just the workspace runtime reads', () => {
    const config = loadBridgeConfig({
      PLATFORM_URL: 'http://p',
      WORKSPACE_ID: ID,
      MOLECULE_WORKSPACE_TOKEN: 'tok',
      CONFIGS_DIR: dir(),
      LANGGRAPH_RECURSION_LIMIT: 'lots',
      SANDBOX_BACKEND: 'vm',
    })
    expect(config.workspaces).toHaveLength(1)
    expect(config.warnings).toEqual([
      expect.stringMatching(
        /^SANDBOX_BACKEND: got "vm".*\(ignored by molecule-mcp: only the workspace runtime reads SANDBOX_BACKEND\)$/,
      ),
      expect.stringMatching(/^LANGGRAPH_RECURSION_LIMIT: got "lots".*\(ignored by molecule-mcp/),
    ])
    expect(config.runtimeEnv.langgraphRecursionLimit).toBe(500)
    // A variable the bridge does use still stops it.
    expect(
      problemsOf({
        PLATFORM_URL: 'http://p',
        WORKSPACE_ID: ID,
        MOLECULE_WORKSPACE_TOKEN: 't',
        WORKSPACE_TIER: 'x',
      }),
    ).toEqual([expect.stringMatching(/^WORKSPACE_TIER: got "x"/)])
  })

  it('carries the resolved RuntimeEnv, with the bridge defaults and the variables it was given', () => {
    const configsDir = dir()
    const config = loadBridgeConfig({
      PLATFORM_URL: 'http://p/',
      WORKSPACE_ID: ID,
      MOLECULE_WORKSPACE_TOKEN: 'tok',
      CONFIGS_DIR: configsDir,
      MOLECULE_MCP_POLL_INTERVAL_MS: '250',
      DELEGATION_TIMEOUT: '1.5',
      MODEL_PROVIDER: 'anthropic:claude',
    })
    expect(config.runtimeEnv).toMatchObject({
      platformUrl: 'http://p',
      platformUrlSource: 'env',
      configsDir,
      configsDirSource: 'env',
      workspaceId: ID,
      modelProvider: 'anthropic:claude',
      heartbeatIntervalMs: 20_000,
    })
    expect(config.configsDir).toBe(configsDir)
    expect(config.pollIntervalMs).toBe(250)
    expect(config.delegationTimeoutMs).toBe(1_500)
  })

  it('a configuration error is a MoleculeError with code MCP_CONFIG_INVALID and the problems as details', () => {
    let caught: unknown
    try {
      loadBridgeConfig({ CONFIGS_DIR: dir() })
    } catch (err) {
      caught = err
    }
    expect(caught).toBeInstanceOf(BridgeConfigError)
    expect(caught).toBeInstanceOf(MoleculeError)
    expect(isMoleculeError(caught)).toBe(true)
    const error = caught as BridgeConfigError
    expect(error.code).toBe('MCP_CONFIG_INVALID')
    expect(error.details).toEqual(error.problems)
    expect(error.heading).toBe('invalid molecule-mcp configuration:')
    expect(error.problems[0]).toMatch(/PLATFORM_URL is not set/)
  })

  it('multi mode: per-entry URLs, aliases, PLATFORM_URL optional when every entry has one', () => {
    const config = loadBridgeConfig({
      CONFIGS_DIR: dir(),
      MOLECULE_ORG_ID: 'org-1',
      MOLECULE_WORKSPACES: JSON.stringify([
        { id: ID, token: 'a', platform_url: 'https://one.example/' },
        { workspace_id: 'second', workspace_token: 'b', platformUrl: 'https://two.example' },
      ]),
    })
    expect(config.mode).toBe('multi')
    expect(config.workspaces.map((w) => [w.id, w.platformUrl, w.ownUrl])).toEqual([
      [ID, 'https://one.example', true],
      ['second', 'https://two.example', true],
    ])
    expect(config.orgId).toBe('org-1')
  })

  it('multi mode: a token of the wrong type or under a misspelt key is said so, not just "missing"', () => {
    const multi = (entries: unknown[]) =>
      problemsOf({
        CONFIGS_DIR: dir(),
        PLATFORM_URL: 'http://p',
        MOLECULE_WORKSPACES: JSON.stringify(entries),
      })
    expect(multi([{ id: ID, token: 123 }])).toEqual([
      'entry 0: "token" must be a string in quotes, got a number',
    ])
    expect(multi([{ id: ID, tokn: 'secret-value' }])).toEqual([
      'entry 0: "token" is missing; the entry has "tokn": did you mean "token"?',
    ])
    expect(multi([{ idd: ID, token: 'x' }])).toEqual([
      'entry 0: "id" is missing; the entry has "idd": did you mean "id"?',
    ])
    expect(multi([{ id: ID, token: 'x', platfrom_url: 'http://q' }])).toEqual([
      'entry 0: unknown key "platfrom_url": did you mean "platform_url"?',
    ])
    expect(multi([{ id: ID, token: '  ' }])).toEqual(['entry 0: "token" is blank'])
    expect(multi([{ id: ID, token: 'x', note: 'laptop' }])).toEqual([])
  })

  it('multi mode: entries without a URL use PLATFORM_URL; a bad URL is named', () => {
    expect(
      loadBridgeConfig({
        CONFIGS_DIR: dir(),
        PLATFORM_URL: 'http://main',
        MOLECULE_WORKSPACES: JSON.stringify([{ id: ID, token: 'a', platform_url: '' }]),
      }).workspaces[0],
    ).toMatchObject({ platformUrl: 'http://main', ownUrl: false })
    expect(
      problemsOf({ MOLECULE_WORKSPACES: JSON.stringify([{ id: ID, token: 'a', platform_url: 'ftp://x' }]) }),
    ).toEqual([expect.stringMatching(/entry 0 platform_url: 'ftp:\/\/x' must start with http/)])
  })

  it('clamps the poll timeout hint', () => {
    expect(pollTimeoutSecs('0')).toBe(0)
    expect(pollTimeoutSecs('90')).toBe(60)
    expect(pollTimeoutSecs('-3')).toBe(2)
    expect(pollTimeoutSecs('abc')).toBe(2)
    expect(pollTimeoutSecs('7')).toBe(7)
  })

  it('falls back to ~/.molecule-workspace created 0700 when CONFIGS_DIR is unset and /configs is absent', () => {
    const home = dir()
    const resolved = resolveConfigsDir(undefined, home, join(home, 'no-configs-mount'))
    expect(resolved).toBe(join(home, '.molecule-workspace'))
    expect(statSync(resolved).mode & 0o777).toBe(0o700)
  })
})

describe('MOLECULE_WORKSPACES errors never show a token', () => {
  const [token, other] = workspaceTokens(2, 21) as [string, string]
  const shown = (env: Record<string, string>) => {
    let caught: unknown
    try {
      loadBridgeConfig({ CONFIGS_DIR: dir(), ...env })
    } catch (err) {
      caught = err
    }
    expect(caught).toBeInstanceOf(BridgeConfigError)
    const error = caught as BridgeConfigError
    return `${error.message}\n${error.problems.join('\n')}\n${JSON.stringify(error.details)}`
  }
  const workspaces = (entries: unknown[]) => ({ MOLECULE_WORKSPACES: JSON.stringify(entries) })

  it('a token pasted into "id" is named as the bad id, masked', () => {
    const text = shown(workspaces([{ id: token, token, platform_url: 'https://one.example' }]))
    expect(text).toMatch(/entry 0: id '\[REDACTED\]' must match/)
    expect(leakedPiece(text, token)).toBeUndefined()
    // Part of the token pasted into the id of a second entry.
    const partial = shown(
      workspaces([
        { id: ID, token, platform_url: 'https://one.example' },
        { id: `ws_${token.slice(3, 30)}`, token: other, platform_url: 'https://two.example' },
      ]),
    )
    expect(partial).toMatch(/entry 1: id '.*\[REDACTED\].*' must match/)
    expect(leakedPiece(partial, token)).toBeUndefined()
  })

  it('a token pasted into "platform_url" is named as the bad URL, masked', () => {
    for (const url of [token, `${token}.example`, `ftp://${token.slice(0, 25)}.example`]) {
      const text = shown(workspaces([{ id: ID, token, platform_url: url }]))
      expect(text).toMatch(/entry 0 platform_url: '.*\[REDACTED\].*'/)
      expect(leakedPiece(text, token)).toBeUndefined()
    }
  })

  it('malformed JSON holding a token is reported by position only', () => {
    const raw = `[{"id": "${ID}", "token": "${token}" "platform_url": "https://one.example"}]`
    const text = shown({ MOLECULE_WORKSPACES: raw })
    expect(text).toMatch(/MOLECULE_WORKSPACES is not valid JSON \(the mistake is at character \d+\)/)
    expect(leakedPiece(text, token)).toBeUndefined()
  })

  it('single mode: a token pasted into WORKSPACE_ID or PLATFORM_URL is masked too', () => {
    const text = shown({ WORKSPACE_ID: token, PLATFORM_URL: token, MOLECULE_WORKSPACE_TOKEN: token })
    expect(text).toMatch(/WORKSPACE_ID: id '\[REDACTED\]'/)
    expect(text).toMatch(/PLATFORM_URL: got "\[REDACTED\]"/)
    expect(leakedPiece(text, token)).toBeUndefined()
  })

  it('every configured workspace token becomes a known secret of the process', () => {
    loadBridgeConfig({
      CONFIGS_DIR: dir(),
      ...workspaces([
        { id: ID, token, platform_url: 'https://one.example' },
        { id: 'second', workspace_token: other, platform_url: 'https://two.example' },
      ]),
    })
    expect(knownSecrets()).toEqual(expect.arrayContaining([token, other]))
  })
})
