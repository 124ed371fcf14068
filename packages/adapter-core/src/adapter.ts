import type { AgentTool } from './agent-tool.js'
import type { ExecuteFn, Executor } from './executor.js'

/** What the runtime passes to `setup()` and `createExecutor()`. */
export interface AdapterConfig {
  /** `provider:model`, e.g. `anthropic:claude-sonnet-4`. */
  model: string
  /** Undefined: the adapter builds its own prompt (usually from `SetupResult.systemPrompt`). */
  systemPrompt?: string | undefined
  /** Skill names from config.yaml (`skills:`). */
  tools: readonly string[]
  /** `runtime_config` from config.yaml, unknown keys included (adapter-specific settings). */
  runtimeConfig: Readonly<Record<string, unknown>>
  /** Directory holding config.yaml (`/configs` in containers). */
  configPath: string
  /** The agent's working tree (`/workspace` in containers); where chat uploads and attachment URIs point. */
  workspaceDir?: string | undefined
  /** JSONL file the runtime appends finished async delegations to (`DELEGATION_RESULTS_FILE`); see `readDelegationResults`. */
  delegationResultsFile?: string | undefined
  workspaceId: string
  promptFiles: readonly string[]
  a2aPort: number
  /** Lets long-running executors report what they are doing between tasks. */
  heartbeat?: HeartbeatHandle | undefined
  /** The workspace's memories on the platform (recall before a turn, commit after it). */
  memory?: MemoryHandle | undefined
  /** The runtime's setup result (prompt, skills, tools), when it ran the shared pipeline. */
  setup?: SetupResult | undefined
  /** The environment the runtime resolved (provider API keys, base URLs); adapters fall back to `process.env`. */
  env?: Readonly<Record<string, string | undefined>> | undefined
  /**
   * The workspace's compliance redaction of an agent's final reply (PII under `compliance.mode: owasp_agentic`),
   * when the runtime has one: returns the redacted text and the kinds of data removed, and records the audit event.
   */
  redactReply?: ((text: string) => { text: string; types: readonly string[] }) | undefined
}

/** What an adapter's own preflight check sees: the effective model, `runtime_config` and the environment. */
export interface AdapterPreflightContext {
  model: string
  runtimeConfig: Readonly<Record<string, unknown>>
  env: Readonly<Record<string, string | undefined>>
}

/** One finding of an adapter's preflight check; a `fail` aborts the boot. */
export interface AdapterPreflightIssue {
  level: 'fail' | 'warn'
  title: string
  detail: string
  fix: string
}

export interface HeartbeatHandle {
  /** Non-empty: one more active task with this summary; empty: one fewer. */
  setCurrentTask(task: string): void
}

/**
 * The workspace's memories as an executor uses them around a turn: best effort, it never throws, so an
 * unreachable platform costs the agent its context, not its answer.
 */
export interface MemoryHandle {
  /** The newest memories, one `- [<scope>] <content>` line each; `''` when there are none or on any failure. */
  recall(signal?: AbortSignal): Promise<string>
  /** Saves `content` as a LOCAL memory with secrets redacted; a failure is logged, not thrown. */
  commit(content: string): Promise<void>
}

/** A skill as adapters see it (the skills package's loaded skill satisfies this shape). */
export interface SkillSummary {
  id: string
  name: string
  description: string
  instructions?: string
  tags?: readonly string[]
  examples?: readonly string[]
}

/** A coordinated child workspace (coordinator mode). */
export interface ChildWorkspace {
  id: string
  name: string
  status?: string
  agentCard?: Record<string, unknown> | null
}

/** Output of the shared setup pipeline (prompt assembly, skills, built-in tools, team). */
export interface SetupResult {
  systemPrompt: string
  loadedSkills: readonly SkillSummary[]
  tools: readonly AgentTool[]
  isCoordinator: boolean
  children: readonly ChildWorkspace[]
}

/** Capabilities an adapter owns natively; the platform skips its own fallback for each. All false by default. */
export interface RuntimeCapabilities {
  readonly providesNativeHeartbeat: boolean
  readonly providesNativeScheduler: boolean
  readonly providesNativeSession: boolean
  readonly providesNativeStatusMgmt: boolean
  readonly providesNativeRetry: boolean
  readonly providesActivityDecoration: boolean
  readonly providesChannelDispatch: boolean
}

/** The names the platform reads in the heartbeat's `runtime_metadata.capabilities` (a wire contract: never rename). */
export interface RuntimeCapabilitiesWire {
  heartbeat: boolean
  scheduler: boolean
  session: boolean
  status_mgmt: boolean
  retry: boolean
  activity_decoration: boolean
  channel_dispatch: boolean
}

export function runtimeCapabilities(flags: Partial<RuntimeCapabilities> = {}): RuntimeCapabilities {
  return Object.freeze({
    providesNativeHeartbeat: flags.providesNativeHeartbeat === true,
    providesNativeScheduler: flags.providesNativeScheduler === true,
    providesNativeSession: flags.providesNativeSession === true,
    providesNativeStatusMgmt: flags.providesNativeStatusMgmt === true,
    providesNativeRetry: flags.providesNativeRetry === true,
    providesActivityDecoration: flags.providesActivityDecoration === true,
    providesChannelDispatch: flags.providesChannelDispatch === true,
  })
}

export function capabilitiesToWire(caps: RuntimeCapabilities): RuntimeCapabilitiesWire {
  return {
    heartbeat: caps.providesNativeHeartbeat,
    scheduler: caps.providesNativeScheduler,
    session: caps.providesNativeSession,
    status_mgmt: caps.providesNativeStatusMgmt,
    retry: caps.providesNativeRetry,
    activity_decoration: caps.providesActivityDecoration,
    channel_dispatch: caps.providesChannelDispatch,
  }
}

/** `GET /transcript` body. */
export interface TranscriptPage {
  runtime: string
  supported: boolean
  lines: unknown[]
  cursor: number
  more: boolean
  source: string | null
}

/** A plugin handed to `installPlugins` (the plugins package's loaded plugin satisfies this shape). */
export interface PluginRef {
  name: string
  path: string
}

export interface PluginInstallResult {
  plugin: string
  source: string
  warnings: readonly string[]
}

/**
 * The contract a workspace template implements. Only `name` and `createExecutor` are required;
 * every hook has a documented default applied by the runtime.
 */
export interface Adapter {
  /** Runtime identifier; should equal config.yaml `runtime` (a mismatch is a preflight warning). */
  readonly name: string
  readonly displayName?: string
  readonly description?: string
  /** JSON Schema of adapter-specific `runtime_config` keys (shown in the platform's Config tab). */
  readonly configSchema?: Record<string, unknown>
  /**
   * Checks what the adapter needs before boot goes on (credentials for the configured model, a reachable binary).
   * Its failures join the preflight report; it must not call the network.
   */
  preflight?(
    context: AdapterPreflightContext,
  ): readonly AdapterPreflightIssue[] | Promise<readonly AdapterPreflightIssue[]>
  /** One-time preparation; throwing aborts boot. */
  setup?(config: AdapterConfig): void | Promise<void>
  createExecutor(config: AdapterConfig): Executor | ExecuteFn | Promise<Executor | ExecuteFn>
  /** Default: all false. */
  capabilities?(): RuntimeCapabilities
  /** Seconds of silence allowed per A2A dispatch; undefined/≤0 means the platform default. */
  idleTimeoutOverride?(): number | undefined
  /** Long-lived memory file under the config dir; default `CLAUDE.md`. */
  memoryFilename?(): string
  /** Default: `{supported: false}` page. */
  transcriptLines?(since: number, limit: number): TranscriptPage | Promise<TranscriptPage>
  /** State worth keeping across a restart (scrubbed by the runtime before it is written). */
  preStopState?(): Record<string, unknown> | Promise<Record<string, unknown>>
  /** Receives the snapshot written by `preStopState` on the previous run. */
  restoreState?(snapshot: Record<string, unknown>): void | Promise<void>
  /**
   * Installs the workspace's enabled plugins (before `setup`, and again when plugins change while running) in place
   * of the runtime's built-in adaptors of `@molecule/plugins`. Installs of disabled or removed plugins are undone by
   * the runtime first either way.
   */
  installPlugins?(
    config: AdapterConfig,
    plugins: readonly PluginRef[],
  ): Promise<readonly PluginInstallResult[]>
  /** Called after skills hot-reload with the rebuilt setup (prompt + tools). */
  onSkillsChanged?(setup: SetupResult): void | Promise<void>
}

/** Identity helper that type-checks an adapter object literal. */
export function defineAdapter<A extends Adapter>(adapter: A): A {
  return adapter
}

export const DEFAULT_MEMORY_FILENAME = 'CLAUDE.md'

/** The page an adapter without transcripts serves. */
export function unsupportedTranscript(runtime: string, since: number): TranscriptPage {
  return { runtime, supported: false, lines: [], cursor: since, more: false, source: null }
}
