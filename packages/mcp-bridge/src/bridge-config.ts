import { isMoleculeError, loadEnv, MoleculeError, type RuntimeEnv } from '@molecule/config'
import { rememberEnvSecrets, rememberSecret } from '@molecule/core'
import { shownProblem, tokensIn } from './config-secrets.js'
import { entryShapeProblems } from './entry-shape.js'
import { type BridgeConfigOptions, readTokenFile, resolveConfigsDir, savedToken } from './state-dir.js'

export { type BridgeConfigOptions, readTokenFile, resolveConfigsDir } from './state-dir.js'

/** One workspace this process acts as. */
export interface WorkspaceEntry {
  id: string
  token: string
  platformUrl: string
  /** True when the entry named its own `platform_url` (another tenant): no org header is ever sent to it. */
  ownUrl: boolean
}

export interface BridgeConfig {
  mode: 'single' | 'multi'
  workspaces: WorkspaceEntry[]
  configsDir: string
  orgId?: string
  heartbeatIntervalMs: number
  pollIntervalMs: number
  pollTimeoutSecs: number
  verbose: boolean
  disableHeartbeat: boolean
  disableInbox: boolean
  delegationTimeoutMs: number
  delegationSyncViaInbox: boolean
  agentName?: string
  agentDescription?: string
  agentSkills: string[]
  /** The core variables (PLATFORM_URL, CONFIGS_DIR, intervals, MODEL_PROVIDER, …) as `loadEnv` resolved them. */
  runtimeEnv: RuntimeEnv
  /** Bad values of variables only the workspace runtime reads: ignored here, shown once at start. */
  warnings: string[]
}

/** The bridge heartbeats every 20 s (the runtime's default is 30 s): well under the platform's 90 s staleness. */
export const BRIDGE_HEARTBEAT_INTERVAL_MS = 20_000

export const WORKSPACE_ID_PATTERN = /^[a-z0-9][a-z0-9-]{0,127}$/

/**
 * Thrown with every configuration problem found; the CLI prints them one per line and exits 2. A `MoleculeError`
 * (code `MCP_CONFIG_INVALID`, `details` = the problems) so callers handle one local error family.
 */
export class BridgeConfigError extends MoleculeError {
  constructor(
    readonly heading: string,
    readonly problems: string[],
  ) {
    super('MCP_CONFIG_INVALID', `${heading}\n${problems.map((p) => `  - ${p}`).join('\n')}`, {
      details: problems,
      fix: 'Correct the variables listed; molecule-mcp --help describes every setting.',
    })
    this.name = 'BridgeConfigError'
  }
}

type Env = Record<string, string | undefined>

function normaliseUrl(raw: string): string {
  return raw.trim().replace(/\/+$/, '')
}

function checkUrl(raw: string, where: string, problems: string[]): void {
  try {
    const url = new URL(raw)
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      problems.push(`${where}: '${raw}' must start with http:// or https://`)
    }
  } catch {
    problems.push(`${where}: '${raw}' is not a valid URL (expected e.g. https://acme.moleculesai.app)`)
  }
}

function checkId(id: string, where: string, problems: string[]): void {
  if (!WORKSPACE_ID_PATTERN.test(id)) {
    problems.push(
      `${where}: id '${id}' must match ${WORKSPACE_ID_PATTERN.source} (lowercase letters, digits, '-')`,
    )
  }
}

/** `MOLECULE_MCP_POLL_TIMEOUT_SECS`: default 2, 0 = push only, junk or negative → 2, above 60 → 60. */
export function pollTimeoutSecs(raw: string | undefined): number {
  if (raw === undefined || raw.trim() === '') return 2
  const value = Number(raw)
  if (!Number.isInteger(value) || value < 0) return 2
  return Math.min(value, 60)
}

function parseMultiEntries(
  raw: string,
  fallbackUrl: string | undefined,
  fallbackInvalid: boolean,
  problems: string[],
): WorkspaceEntry[] {
  let parsed: unknown
  try {
    parsed = JSON.parse(raw)
  } catch (err) {
    // Newer engines quote the text around the mistake: only the position is kept, the value holds tokens.
    const at = /position (\d+)/.exec((err as Error).message)?.[1]
    problems.push(
      `MOLECULE_WORKSPACES is not valid JSON${at ? ` (the mistake is at character ${at})` : ''}; check its quotes, commas and brackets (the value is not shown: it holds tokens)`,
    )
    return []
  }
  if (!Array.isArray(parsed)) {
    problems.push('MOLECULE_WORKSPACES must be a JSON array of {"id", "token", "platform_url"?} objects')
    return []
  }
  if (parsed.length === 0) {
    problems.push('MOLECULE_WORKSPACES is an empty array; list at least one workspace')
    return []
  }
  const entries: WorkspaceEntry[] = []
  const seen = new Set<string>()
  parsed.forEach((item: unknown, index) => {
    const where = `entry ${index}`
    if (item === null || typeof item !== 'object' || Array.isArray(item)) {
      problems.push(`${where}: must be an object like {"id": "...", "token": "..."}`)
      return
    }
    const record = item as Record<string, unknown>
    const id = record.id ?? record.workspace_id
    const token = record.token ?? record.workspace_token
    const url = record.platform_url ?? record.platformUrl
    let ok = true
    for (const problem of entryShapeProblems(record, id, token)) {
      problems.push(`${where}: ${problem}`)
      ok = false
    }
    if (url !== undefined && url !== null && typeof url !== 'string') {
      problems.push(`${where}: "platform_url" must be a string`)
      ok = false
    }
    const cleanId = typeof id === 'string' ? id.trim() : ''
    if (cleanId !== '') {
      checkId(cleanId, where, problems)
      if (!WORKSPACE_ID_PATTERN.test(cleanId)) ok = false
      if (seen.has(cleanId)) {
        problems.push(`${where}: duplicate id '${cleanId}'; each workspace may appear once`)
        ok = false
      }
      seen.add(cleanId)
    }
    const ownUrl = typeof url === 'string' && url.trim() !== ''
    const platformUrl = ownUrl ? normaliseUrl(url as string) : fallbackUrl
    if (ownUrl) checkUrl(platformUrl as string, `${where} platform_url`, problems)
    else if (platformUrl === undefined) {
      // An invalid PLATFORM_URL is already reported once; do not repeat it per entry.
      if (!fallbackInvalid)
        problems.push(`${where}: no "platform_url" and PLATFORM_URL is not set; set one of them`)
      ok = false
    }
    if (ok && platformUrl !== undefined) {
      entries.push({ id: cleanId, token: (token as string).trim(), platformUrl, ownUrl })
    }
  })
  return entries
}

/**
 * The core variables the bridge itself uses. A bad value of any other core variable (SANDBOX_*,
 * LANGGRAPH_RECURSION_LIMIT, AGENT_URL, …) concerns only the workspace runtime, which may share the
 * operator's shell: the bridge warns and carries on rather than refusing to start.
 */
const BRIDGE_CORE_VARIABLES = new Set([
  'PLATFORM_URL',
  'WORKSPACE_ID',
  'CONFIGS_DIR',
  'DELEGATION_TIMEOUT',
  'MOLECULE_HEARTBEAT_INTERVAL_MS',
  'MOLECULE_MCP_POLL_INTERVAL_MS',
  'WORKSPACE_TIER',
  'MODEL_PROVIDER',
  'ADAPTER_MODULE',
])

interface EnvProblem {
  variable: string
  message: string
}

/**
 * The core variables through `loadEnv` (the one typed resolution). `loadEnv` stops at the first bad variable; to
 * still list every problem, each bad variable is reported and left out, and resolution runs again.
 */
function resolveCoreEnv(env: Env, problems: EnvProblem[]): RuntimeEnv {
  const remaining: Env = { ...env }
  for (;;) {
    try {
      return loadEnv(remaining, { defaults: { heartbeatIntervalMs: BRIDGE_HEARTBEAT_INTERVAL_MS } })
    } catch (err) {
      if (!isMoleculeError(err) || err.path === undefined || remaining[err.path] === undefined) throw err
      problems.push({ variable: err.path, message: err.message })
      delete remaining[err.path]
    }
  }
}

/**
 * Validates the whole environment at once; throws BridgeConfigError listing every problem. Core variables go
 * through `loadEnv` of `@molecule/config`; only the bridge's own (MOLECULE_WORKSPACES, MOLECULE_WORKSPACE_TOKEN[_FILE],
 * MOLECULE_MCP_*, MOLECULE_AGENT_*, MOLECULE_ORG_ID) are read here. Every workspace token and the long values of
 * `*_API_KEY`/`*_TOKEN`/`*_SECRET` variables become known secrets of the process (`rememberSecret` of
 * `@molecule/core`), and no problem or warning shows any part of a token.
 */
export function loadBridgeConfig(env: Env, options: BridgeConfigOptions = {}): BridgeConfig {
  rememberEnvSecrets(env)
  const tokens = tokensIn(env)
  for (const token of tokens) rememberSecret(token)
  try {
    return resolveBridgeConfig(env, options, tokens)
  } catch (err) {
    if (!(err instanceof BridgeConfigError)) throw err
    throw new BridgeConfigError(
      err.heading,
      err.problems.map((problem) => shownProblem(problem, tokens)),
    )
  }
}

function resolveBridgeConfig(env: Env, options: BridgeConfigOptions, tokens: string[]): BridgeConfig {
  const envProblems: EnvProblem[] = []
  const core = resolveCoreEnv(env, envProblems)
  const badPlatformUrl = envProblems.some((p) => p.variable === 'PLATFORM_URL')
  const problems: string[] = envProblems.filter((p) => p.variable === 'PLATFORM_URL').map((p) => p.message)
  const otherEnvProblems = envProblems
    .filter((p) => p.variable !== 'PLATFORM_URL' && BRIDGE_CORE_VARIABLES.has(p.variable))
    .map((p) => p.message)
  const warnings = envProblems
    .filter((p) => !BRIDGE_CORE_VARIABLES.has(p.variable))
    .map((p) =>
      shownProblem(
        `${p.message} (ignored by molecule-mcp: only the workspace runtime reads ${p.variable})`,
        tokens,
      ),
    )
  const platformUrl = core.platformUrlSource === 'env' ? core.platformUrl : undefined

  let mode: BridgeConfig['mode']
  let workspaces: WorkspaceEntry[] = []
  const multi = env.MOLECULE_WORKSPACES
  if (multi !== undefined && multi.trim() !== '') {
    mode = 'multi'
    workspaces = parseMultiEntries(multi, platformUrl, badPlatformUrl, problems)
    if (problems.length > 0) throw new BridgeConfigError('invalid MOLECULE_WORKSPACES:', problems)
  } else {
    mode = 'single'
    const id = core.workspaceId
    if (!platformUrl && !badPlatformUrl)
      problems.push('PLATFORM_URL is not set (e.g. PLATFORM_URL=https://acme.moleculesai.app)')
    if (!id)
      problems.push('WORKSPACE_ID is not set; copy it from the workspace page, or set MOLECULE_WORKSPACES')
    else checkId(id, 'WORKSPACE_ID', problems)
    let token = env.MOLECULE_WORKSPACE_TOKEN?.trim()
    const tokenFile = env.MOLECULE_WORKSPACE_TOKEN_FILE?.trim()
    if (!token && tokenFile) {
      const read = readTokenFile(tokenFile)
      if (read.problem) problems.push(read.problem)
      token = read.token
    } else if (!token) {
      // Last resort: a token an earlier run (or the runtime) saved in the configs dir.
      const saved = id ? savedToken(explicitConfigsDir(core), id, options) : undefined
      if (saved) token = saved
      else problems.push('no token: set MOLECULE_WORKSPACE_TOKEN or MOLECULE_WORKSPACE_TOKEN_FILE')
    }
    if (token && !tokens.includes(token)) {
      tokens.push(token)
      rememberSecret(token)
    }
    if (id && token && platformUrl) workspaces = [{ id, token, platformUrl, ownUrl: false }]
  }

  problems.push(...otherEnvProblems)
  const delegationTimeoutSecs = core.delegation.timeout ?? 300
  if (core.delegation.timeout === 0) {
    problems.push(
      'DELEGATION_TIMEOUT: got "0", expected a number of seconds above 0. Fix: set a positive number of seconds, or unset it to use 300.',
    )
  }
  if (problems.length > 0) throw new BridgeConfigError('invalid molecule-mcp configuration:', problems)

  const orgId = (env.MOLECULE_ORG_ID ?? env.MOLECULE_ORGANIZATION_ID)?.trim()
  const config: BridgeConfig = {
    mode,
    workspaces,
    configsDir: resolveConfigsDir(explicitConfigsDir(core), options.home, options.mountedConfigsDir),
    heartbeatIntervalMs: core.heartbeatIntervalMs,
    pollIntervalMs: core.mcpPollIntervalMs,
    pollTimeoutSecs: pollTimeoutSecs(env.MOLECULE_MCP_POLL_TIMEOUT_SECS),
    verbose: env.MOLECULE_MCP_VERBOSE !== undefined && env.MOLECULE_MCP_VERBOSE !== '',
    disableHeartbeat: isSet(env.MOLECULE_MCP_DISABLE_HEARTBEAT),
    disableInbox: isSet(env.MOLECULE_MCP_DISABLE_INBOX),
    delegationTimeoutMs: Math.round(delegationTimeoutSecs * 1000),
    delegationSyncViaInbox: env.DELEGATION_SYNC_VIA_INBOX === '1',
    agentSkills: (env.MOLECULE_AGENT_SKILLS ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s !== ''),
    runtimeEnv: core,
    warnings,
  }
  // Org ids are header values: anything outside a conservative charset is dropped rather than sent.
  if (orgId && /^[A-Za-z0-9_-]{1,128}$/.test(orgId)) config.orgId = orgId
  if (env.MOLECULE_AGENT_NAME?.trim()) config.agentName = env.MOLECULE_AGENT_NAME.trim()
  if (env.MOLECULE_AGENT_DESCRIPTION?.trim()) config.agentDescription = env.MOLECULE_AGENT_DESCRIPTION.trim()
  return config
}

function explicitConfigsDir(core: RuntimeEnv): string | undefined {
  return core.configsDirSource === 'env' ? core.configsDir : undefined
}

function isSet(value: string | undefined): boolean {
  return value !== undefined && value !== '' && value !== '0' && value.toLowerCase() !== 'false'
}
