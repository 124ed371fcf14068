import { existsSync, statSync } from 'node:fs'
import { MoleculeError, maskSecrets } from '@molecule/core'

/** Env var values the runtime core understands, resolved once and typed (camelCase). */
export interface RuntimeEnv {
  /** `WORKSPACE_ID`; undefined when unset (the runtime treats that as fatal, the MCP bridge does not need it). */
  workspaceId: string | undefined
  /** `WORKSPACE_CONFIG_PATH`: directory holding config.yaml. Default `/configs`. */
  configPath: string
  /**
   * `CONFIGS_DIR`: directory holding the workspace's state (`.auth_token`, the pre-stop snapshot). Default `/configs`
   * in a container; outside one, the config directory (`configPath`), so a laptop run never writes at the root.
   */
  configsDir: string
  /** Whether `configsDir` came from `CONFIGS_DIR` or is the default (the MCP bridge picks its own fallback). */
  configsDirSource: EnvSource
  /** `PLATFORM_URL` without trailing slashes; default depends on Docker detection (see README). */
  platformUrl: string
  /** Whether `platformUrl` came from `PLATFORM_URL` or is the default (the MCP bridge requires it to be set). */
  platformUrlSource: EnvSource
  /** True when `/.dockerenv` exists or `DOCKER_VERSION` is set. */
  inDocker: boolean
  /**
   * True where a `/configs` directory exists: the platform mounts it into every workspace container, and the
   * runtime then uses the container defaults (state in `/configs`, binding every interface). False elsewhere (a
   * laptop, or any container without that mount), where the runtime keeps to the directories it was given.
   */
  inContainer: boolean
  /** `HOSTNAME`: host part of the advertised A2A URL; undefined ⇒ the runtime detects an address. */
  hostname: string | undefined
  /** `AGENT_URL`: A2A endpoint written into AGENTS.md; undefined ⇒ `http://localhost:<a2a.port>/a2a`. */
  agentUrl: string | undefined
  /** `ADAPTER_MODULE`: package name or path of the adapter module. */
  adapterModule: string | undefined
  /** `MODEL_PROVIDER`: replaces config `model` whenever set, even to an empty string. */
  modelProvider: string | undefined
  /** `PARENT_ID`: parent workspace id; `''` when unset. */
  parentId: string
  /** `PLUGINS_DIR`: shared plugin directory. Default `/plugins`. */
  pluginsDir: string
  /** `AGENT_SNAPSHOT_PATH`: pre-stop snapshot file. Default `<configsDir>/.agent_snapshot.json`. */
  agentSnapshotPath: string
  /**
   * `DELEGATION_RESULTS_FILE`. Default `<configsDir>/.delegation_results.jsonl`: next to the token, private to the
   * workspace (the runtime creates it 0600), never in a shared `/tmp`.
   */
  delegationResultsFile: string
  /** `A2A_MCP_SERVER_PATH`: MCP server entry handed to CLI agents; undefined ⇒ the runtime picks its own. */
  a2aMcpServerPath: string | undefined
  /** `MOLECULE_DISABLE_IMAGE_INLINING` is truthy (`1`, `true`, `yes`, `on`). */
  disableImageInlining: boolean
  /** `LANGGRAPH_RECURSION_LIMIT`. Default 500. */
  langgraphRecursionLimit: number
  /** `MOLECULE_HEARTBEAT_INTERVAL_MS`. Default 30000 (or `LoadEnvOptions.defaults.heartbeatIntervalMs`). */
  heartbeatIntervalMs: number
  /** `MOLECULE_MCP_POLL_INTERVAL_MS`. Default 5000. */
  mcpPollIntervalMs: number
  /** `WORKSPACE_TIER`: tier used only when config.yaml cannot be loaded. Default 1. */
  workspaceTier: number
  /** `DELEGATION_*` overrides of the config.yaml `delegation` block (only the variables that are set). */
  delegation: { retryAttempts?: number; retryDelay?: number; timeout?: number }
  /** `SANDBOX_*` overrides of the config.yaml `sandbox` block (only the variables that are set). */
  sandbox: { backend?: SandboxBackend; timeout?: number; memoryLimit?: string }
  /**
   * Reads any other variable (e.g. the names in `runtime_config.required_env`). A function rather than a copy
   * of the environment so that logging or serializing a RuntimeEnv can never print secrets.
   */
  get(name: string): string | undefined
}

/** Where a resolved value came from: the environment variable, or the built-in default. */
export type EnvSource = 'env' | 'default'

/** `auto` picks bwrap when it is on PATH, else subprocess (see @molecule/sandbox). */
export const SANDBOX_BACKENDS = ['auto', 'bwrap', 'subprocess', 'docker', 'e2b'] as const
export type SandboxBackend = (typeof SANDBOX_BACKENDS)[number]

export interface LoadEnvOptions {
  /** Overrides Docker detection (default: `/.dockerenv` exists or `DOCKER_VERSION` is set). */
  inDocker?: boolean
  /** Overrides container detection (default: a `/configs` directory exists). */
  inContainer?: boolean
  /**
   * Defaults that differ per process kind (the MCP bridge heartbeats every 20 s, the runtime every 30 s).
   * Only used when the variable is unset.
   */
  defaults?: { heartbeatIntervalMs?: number; mcpPollIntervalMs?: number }
}

const DOCKER_PLATFORM_URL = 'http://host.docker.internal:8080'
const LOCAL_PLATFORM_URL = 'http://localhost:8080'

class EnvReader {
  constructor(private readonly env: NodeJS.ProcessEnv) {}

  /** Trimmed value, undefined when unset or blank. */
  text(name: string): string | undefined {
    const value = this.env[name]?.trim()
    return value ? value : undefined
  }

  /** The value is shown masked (a token pasted into the wrong variable stays secret), then cut to 60 characters. */
  invalid(name: string, raw: string, expected: string, fix: string): MoleculeError {
    const masked = maskSecrets(raw)
    const shown = masked.length > 60 ? `${masked.slice(0, 57)}...` : masked
    return new MoleculeError('ENV_INVALID', `${name}: got "${shown}", expected ${expected}. Fix: ${fix}`, {
      path: name,
      fix,
    })
  }

  integer(name: string, min: number, max = Number.MAX_SAFE_INTEGER): number | undefined {
    const raw = this.text(name)
    if (raw === undefined) return undefined
    const value = /^[-+]?\d+$/.test(raw) ? Number(raw) : Number.NaN
    if (!Number.isSafeInteger(value) || value < min || value > max) {
      const range = max === Number.MAX_SAFE_INTEGER ? `${min} or more` : `from ${min} to ${max}`
      throw this.invalid(
        name,
        raw,
        `a whole number ${range}`,
        `set ${name} to a whole number ${range}, or unset it to use the default.`,
      )
    }
    return value
  }

  decimal(name: string, min: number): number | undefined {
    const raw = this.text(name)
    if (raw === undefined) return undefined
    const value = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(raw) ? Number(raw) : Number.NaN
    if (!Number.isFinite(value) || value < min) {
      throw this.invalid(
        name,
        raw,
        `a number ≥ ${min}`,
        `set ${name} to a number of seconds ≥ ${min}, or unset it to use the default.`,
      )
    }
    return value
  }

  url(name: string): string | undefined {
    const raw = this.text(name)
    if (raw === undefined) return undefined
    let parsed: URL | undefined
    try {
      parsed = new URL(raw)
    } catch {
      parsed = undefined
    }
    if (!parsed || (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') || !parsed.hostname) {
      throw this.invalid(
        name,
        raw,
        'an http(s) URL',
        `set ${name} to a URL such as http://localhost:8080, or unset it to use the default.`,
      )
    }
    return raw.replace(/\/+$/, '')
  }

  flag(name: string): boolean {
    return ['1', 'true', 'yes', 'on'].includes(this.text(name)?.toLowerCase() ?? '')
  }
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory()
  } catch {
    return false
  }
}

function detectDocker(env: NodeJS.ProcessEnv): boolean {
  return Boolean(env.DOCKER_VERSION?.trim()) || existsSync('/.dockerenv')
}

/**
 * Resolves the runtime core's environment variables in one place. Throws `MoleculeError('ENV_INVALID')`
 * naming the variable when a value cannot be used (non-numeric interval, malformed URL, unknown backend).
 */
export function loadEnv(env: NodeJS.ProcessEnv = process.env, options: LoadEnvOptions = {}): RuntimeEnv {
  const read = new EnvReader(env)
  const inDocker = options.inDocker ?? detectDocker(env)
  const inContainer = options.inContainer ?? isDirectory('/configs')
  const configPath = read.text('WORKSPACE_CONFIG_PATH') ?? '/configs'
  const explicitConfigsDir = read.text('CONFIGS_DIR')
  const configsDir = explicitConfigsDir ?? (inContainer ? '/configs' : configPath)
  const explicitPlatformUrl = read.url('PLATFORM_URL')

  const backend = read.text('SANDBOX_BACKEND')
  if (backend !== undefined && !(SANDBOX_BACKENDS as readonly string[]).includes(backend)) {
    throw read.invalid(
      'SANDBOX_BACKEND',
      backend,
      `one of ${SANDBOX_BACKENDS.join(', ')}`,
      `set SANDBOX_BACKEND to ${SANDBOX_BACKENDS.join(', ')}, or unset it to use config.yaml sandbox.backend.`,
    )
  }
  const delegation: RuntimeEnv['delegation'] = {}
  const retryAttempts = read.integer('DELEGATION_RETRY_ATTEMPTS', 1, 100)
  if (retryAttempts !== undefined) delegation.retryAttempts = retryAttempts
  const retryDelay = read.decimal('DELEGATION_RETRY_DELAY', 0)
  if (retryDelay !== undefined) delegation.retryDelay = retryDelay
  const delegationTimeout = read.decimal('DELEGATION_TIMEOUT', 0)
  if (delegationTimeout !== undefined) delegation.timeout = delegationTimeout

  const sandbox: RuntimeEnv['sandbox'] = {}
  if (backend !== undefined) sandbox.backend = backend as SandboxBackend
  const sandboxTimeout = read.decimal('SANDBOX_TIMEOUT', 0)
  if (sandboxTimeout !== undefined) sandbox.timeout = sandboxTimeout
  const memoryLimit = read.text('SANDBOX_MEMORY_LIMIT')
  if (memoryLimit !== undefined) sandbox.memoryLimit = memoryLimit

  return {
    workspaceId: read.text('WORKSPACE_ID'),
    configPath,
    configsDir,
    configsDirSource: explicitConfigsDir === undefined ? 'default' : 'env',
    platformUrl: explicitPlatformUrl ?? (inDocker ? DOCKER_PLATFORM_URL : LOCAL_PLATFORM_URL),
    platformUrlSource: explicitPlatformUrl === undefined ? 'default' : 'env',
    inDocker,
    inContainer,
    hostname: read.text('HOSTNAME'),
    agentUrl: read.url('AGENT_URL'),
    adapterModule: read.text('ADAPTER_MODULE'),
    // Not trimmed-to-undefined: upstream applies MODEL_PROVIDER whenever it is set, even when empty.
    modelProvider: env.MODEL_PROVIDER === undefined ? undefined : env.MODEL_PROVIDER.trim(),
    parentId: read.text('PARENT_ID') ?? '',
    pluginsDir: read.text('PLUGINS_DIR') ?? '/plugins',
    agentSnapshotPath:
      read.text('AGENT_SNAPSHOT_PATH') ?? `${configsDir.replace(/\/+$/, '')}/.agent_snapshot.json`,
    delegationResultsFile:
      read.text('DELEGATION_RESULTS_FILE') ?? `${configsDir.replace(/\/+$/, '')}/.delegation_results.jsonl`,
    a2aMcpServerPath: read.text('A2A_MCP_SERVER_PATH'),
    disableImageInlining: read.flag('MOLECULE_DISABLE_IMAGE_INLINING'),
    langgraphRecursionLimit: read.integer('LANGGRAPH_RECURSION_LIMIT', 1) ?? 500,
    heartbeatIntervalMs:
      read.integer('MOLECULE_HEARTBEAT_INTERVAL_MS', 1) ?? options.defaults?.heartbeatIntervalMs ?? 30_000,
    mcpPollIntervalMs:
      read.integer('MOLECULE_MCP_POLL_INTERVAL_MS', 1) ?? options.defaults?.mcpPollIntervalMs ?? 5_000,
    workspaceTier: read.integer('WORKSPACE_TIER', 0) ?? 1,
    delegation,
    sandbox,
    get: (name) => env[name],
  }
}
