import { mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import { createA2AServer } from '@molecule/a2a-server'
import {
  type Adapter,
  type AdapterConfig,
  defineExecutor,
  type Executor,
  type SetupResult,
  unsupportedTranscript,
} from '@molecule/adapter-core'
import { type BuiltinAdapter, checkAdapterForPreflight, loadAdapter } from '@molecule/adapter-core/runtime'
import { generateAgentsMd, loadConfig, loadEnv, renderPreflightReport, runPreflight } from '@molecule/config'
import {
  buildHeartbeatBody,
  type HeartbeatBody,
  HeartbeatLoop,
  PlatformClient,
  RegistrationLoop,
  TokenStore,
} from '@molecule/platform-client'
import { createPlatformTools, describeInputIssues, type Tool, type ToolContext } from '@molecule/tools'
import type { Logger } from 'pino'
import { builtinAdapters } from './adapters/index.js'
import {
  advertisedHost,
  advertisedUrl,
  type CardInput,
  platformAgentCard,
  servedAgentCard,
} from './agent-card.js'
import { DelegationResultsLoop } from './delegation-results-loop.js'
import { heartbeatState } from './heartbeat-state.js'
import { createLogger } from './logger.js'
import { platformMemory } from './memory-handle.js'
import { RuntimeError } from './runtime-error.js'
import { type RuntimeSettings, readRuntimeSettings } from './runtime-settings.js'
import { IdleLoop, runInitialPrompt } from './self-prompts.js'
import { loadSkills } from './skills.js'
import { buildSnapshot, PreStopSnapshot } from './snapshot/pre-stop-snapshot.js'
import { assembleSystemPrompt } from './system-prompt.js'
import { TaskActivity, WedgeState } from './task-activity.js'

/** In `CONFIGS_DIR`: delegation ids already recorded and results not yet announced, across restarts. */
export const DELEGATION_STATE_FILE = '.delegation_results_state.json'

export interface StartRuntimeOptions {
  /** Environment to resolve (default `process.env`); `dev` passes one per workspace. */
  env?: NodeJS.ProcessEnv
  logger?: Logger
  /** Built-in adapters selectable by config `runtime` (default: echo, cli). */
  builtins?: Readonly<Record<string, BuiltinAdapter>>
  /** Where `ADAPTER_MODULE` package names and relative paths resolve from. */
  cwd?: string
}

export interface RunningRuntime {
  readonly workspaceId: string
  /** Advertised A2A URL (what peers and the platform use). */
  readonly url: string
  /** Port the A2A server really listens on. */
  readonly port: number
  readonly adapter: Adapter
  readonly activity: TaskActivity
  readonly wedge: WedgeState
  /** Resolves when the platform accepted our registration (retried with backoff until then). */
  readonly registered: Promise<void>
  /** SIGTERM path: drain within the grace period, snapshot, stop loops, close. Idempotent. */
  stop(reason?: string): Promise<{ cancelled: number }>
}

/** A failure the CLI prints as plain text (no stack) before exiting with `exitCode`. */
export class BootFailure extends RuntimeError {
  constructor(
    code: string,
    message: string,
    readonly exitCode = 1,
  ) {
    super(code, message)
  }
}

function describe(err: unknown): string {
  if (err instanceof Error) {
    const fix = (err as { fix?: unknown }).fix
    return typeof fix === 'string' && fix && !err.message.includes(fix)
      ? `${err.message}\n  Fix: ${fix}`
      : err.message
  }
  return String(err)
}

/**
 * Boots one workspace runtime (§0.2 with the §11 fixes): env + config, preflight (a failing report aborts),
 * AGENTS.md, adapter setup/executor/restore, A2A server listening, then registration (retried in the background
 * while A2A already serves), heartbeats with immediate task-state pulses, delegation results, initial and idle
 * prompts. Does not install signal handlers: the CLI and `dev` own the process.
 */
export async function startRuntime(options: StartRuntimeOptions = {}): Promise<RunningRuntime> {
  const env = options.env ?? process.env
  let settings: RuntimeSettings
  let runtimeEnv: ReturnType<typeof loadEnv>
  try {
    settings = readRuntimeSettings(env)
    runtimeEnv = loadEnv(env)
  } catch (err) {
    throw new BootFailure((err as { code?: string }).code ?? 'ENV_INVALID', describe(err))
  }
  const workspaceId = runtimeEnv.workspaceId
  if (!workspaceId) {
    throw new BootFailure(
      'WORKSPACE_ID_MISSING',
      "WORKSPACE_ID is not set. Fix: set WORKSPACE_ID to this workspace's UUID.",
    )
  }
  const log = (options.logger ?? createLogger(settings.logLevel)).child({ workspaceId })
  const configDir = runtimeEnv.configPath

  let loaded: Awaited<ReturnType<typeof loadConfig>>
  try {
    loaded = await loadConfig(configDir, { env: runtimeEnv })
  } catch (err) {
    throw new BootFailure((err as { code?: string }).code ?? 'CONFIG_INVALID', describe(err))
  }
  const config = loaded.config
  for (const warning of loaded.warnings) log.warn({ configDir }, warning)

  const builtins = options.builtins ?? builtinAdapters
  const adapterQuery = {
    adapterModule: runtimeEnv.adapterModule,
    runtime: config.runtime,
    builtins,
    cwd: options.cwd,
  }
  const report = await runPreflight(config, {
    configDir,
    env: runtimeEnv,
    checkAdapter: async () => checkAdapterForPreflight(adapterQuery),
  })
  const rendered = renderPreflightReport(report)
  try {
    await generateAgentsMd(configDir, join(settings.workspaceDir, 'AGENTS.md'), { env: runtimeEnv })
  } catch (err) {
    log.warn({ err: describe(err) }, 'could not write AGENTS.md')
  }
  if (!report.ok) throw new BootFailure('PREFLIGHT_FAILED', rendered.trimEnd())
  if (rendered) process.stderr.write(rendered.endsWith('\n') ? rendered : `${rendered}\n`)

  const { adapter, source } = await loadAdapter(adapterQuery).catch((err: unknown) => {
    throw new BootFailure((err as { code?: string }).code ?? 'ADAPTER_LOAD_FAILED', describe(err))
  })
  log.info(
    { adapter: adapter.name, source },
    `Runtime: ${config.runtime} (${adapter.displayName ?? adapter.name})`,
  )

  // Platform client with the token file as its source: a token minted at first register is saved there and
  // reused after a restart; a 401 makes the client re-read it once.
  const tokens = new TokenStore(runtimeEnv.configsDir)
  const platform = new PlatformClient({
    platformUrl: runtimeEnv.platformUrl,
    workspaceId,
    token: tokens,
    logger: log.child({ component: 'platform' }),
  })

  const startedAt = Date.now()
  const wedge = new WedgeState()
  let heartbeat: HeartbeatLoop | undefined
  const activity = new TaskActivity(() => heartbeat?.pulse())

  const abort = new AbortController()
  const toolContext: ToolContext = {
    workspaceId,
    platform,
    logger: log.child({ component: 'tools' }),
    signal: abort.signal,
    tier: config.tier,
    roles: [...config.rbac.roles],
    customRoles: Object.fromEntries(
      Object.entries(config.rbac.allowed_actions as Record<string, readonly string[]>).map(
        ([role, actions]) => [role, [...actions]],
      ),
    ),
    identity: { model: config.model, runtime: adapter.name },
  }
  const tools = bindTools(createPlatformTools({ env }), toolContext)
  const skills = await loadSkills(configDir, config.skills, adapter.name, log)
  const setupResult: SetupResult = {
    systemPrompt: await assembleSystemPrompt({
      configDir,
      promptFiles: config.prompt_files,
      skills,
      platform,
      ...(runtimeEnv.parentId ? { parentId: runtimeEnv.parentId } : {}),
      log,
    }),
    loadedSkills: skills,
    tools,
    isCoordinator: false,
    children: [],
  }
  const adapterConfig: AdapterConfig = {
    model: config.model,
    systemPrompt: undefined,
    tools: [...config.skills],
    runtimeConfig: { ...config.runtime_config },
    configPath: configDir,
    workspaceDir: settings.workspaceDir,
    delegationResultsFile: runtimeEnv.delegationResultsFile,
    workspaceId,
    promptFiles: [...config.prompt_files],
    a2aPort: config.a2a.port,
    heartbeat: runtimeHeartbeatHandle(activity, wedge, log, () => heartbeat?.pulse()),
    memory: platformMemory(platform, log.child({ component: 'memory' })),
    setup: setupResult,
  }

  let executor: Executor
  try {
    await adapter.setup?.(adapterConfig)
    executor = defineExecutor(await adapter.createExecutor(adapterConfig))
  } catch (err) {
    throw new BootFailure(
      (err as { code?: string }).code ?? 'ADAPTER_SETUP_FAILED',
      `Adapter "${adapter.name}" failed to start: ${describe(err)}`,
    )
  }

  // The agent's working tree and its chat-uploads dir must exist; failing here is not fatal (read-only mounts).
  await mkdir(join(settings.workspaceDir, '.molecule', 'chat-uploads'), { recursive: true }).catch(
    (err: Error) =>
      log.warn({ err: err.message, dir: settings.workspaceDir }, 'workspace directory is not writable'),
  )

  const snapshots = new PreStopSnapshot(runtimeEnv.agentSnapshotPath)
  const previous = await snapshots.read()
  if (previous) {
    try {
      await adapter.restoreState?.(previous)
      log.info({ from: previous.timestamp }, 'restored pre-stop snapshot')
    } catch (err) {
      log.warn({ err: describe(err) }, 'adapter could not restore the pre-stop snapshot; starting fresh')
    }
  }

  // The A2A server must know its URL for the card before it listens; the real port is only known after.
  const cardInput = (url: string): CardInput => ({
    name: config.name,
    description: config.description,
    version: config.version,
    url,
    streaming: config.a2a.streaming,
    pushNotifications: config.a2a.push_notifications,
    skills,
  })
  const host = advertisedHost(runtimeEnv.hostname, settings.a2aHost)
  const requestedPort = settings.a2aPortOverride ?? config.a2a.port
  const server = createA2AServer({
    card: servedAgentCard(cardInput(advertisedUrl(host, requestedPort))),
    executor,
    logger: log.child({ component: 'a2a' }),
    transcriptToken: () => tokens.read(),
    transcript: (since, limit) =>
      adapter.transcriptLines?.(since, limit) ?? unsupportedTranscript(adapter.name, since),
    pushNotifications: { allowPrivateTargets: settings.pushAllowPrivateTargets },
    onTaskStart: (task) => activity.start(task.summary || 'task'),
    onTaskEnd: (task) => {
      activity.recordOutcome(task.state)
      activity.end()
    },
  })
  const listening = await server
    .listen({ port: requestedPort, host: settings.a2aHost })
    .catch((err: unknown) => {
      throw new BootFailure(
        'A2A_LISTEN_FAILED',
        `A2A server could not listen on ${settings.a2aHost}:${requestedPort}: ${describe(err)}. Fix: free the port or change a2a.port in config.yaml.`,
      )
    })
  const port = listening.port
  const url = advertisedUrl(host, port)
  if (port !== requestedPort) server.setCard(servedAgentCard(cardInput(url)))
  log.info({ url, bind: `${settings.a2aHost}:${port}` }, 'A2A server listening')

  const registration = new RegistrationLoop({
    client: platform,
    body: () => ({ url, agent_card: platformAgentCard(cardInput(url)) }),
    retry: { baseMs: settings.registerRetryBaseMs, maxMs: settings.registerRetryMaxMs },
    logger: log.child({ component: 'registration' }),
  })
  // Exactly one `registered` line per process (benchmarks and tests key on it); later ones say re-registered.
  let registrations = 0
  registration.on('registered', () =>
    log.info({ workspaceId, url }, registrations++ === 0 ? 'registered' : 're-registered'),
  )

  heartbeat = new HeartbeatLoop({
    client: platform,
    intervalMs: runtimeEnv.heartbeatIntervalMs,
    logger: log.child({ component: 'heartbeat' }),
    snapshot: () => heartbeatBody(),
    onReregister: (reason: string) => registration.reregister(reason),
    onResponse: () => activity.acknowledge(reported),
  })
  // Outcomes carried by the beat in flight; acknowledged when the platform accepts it.
  let reported = { requests: 0, errors: 0 }
  const heartbeatBody = (): HeartbeatBody => {
    reported = activity.outcomes
    return buildHeartbeatBody(heartbeatState(adapter, activity, wedge, startedAt, Date.now(), log))
  }

  const delegations = new DelegationResultsLoop({
    platform,
    resultsFile: runtimeEnv.delegationResultsFile,
    stateFile: join(runtimeEnv.configsDir, DELEGATION_STATE_FILE),
    intervalMs: settings.delegationPollMs ?? runtimeEnv.heartbeatIntervalMs,
    selfMessageCooldownMs: settings.selfMessageCooldownMs,
    logger: log.child({ component: 'delegations' }),
  })

  registration.start()
  const registered = registration.registered.then(() => undefined)
  // Platform-facing loops need a token. A provisioned workspace has one on disk already and starts them now —
  // it comes online by heartbeat even if the platform rejects its advertised URL at register (platform-api
  // §3.2). Without a token they wait for the first register, which mints it.
  let markReady: () => void = () => {}
  const platformReady = new Promise<void>((resolve) => {
    markReady = resolve
  })
  let loopsStarted = false
  const startLoops = (): void => {
    if (loopsStarted) return
    loopsStarted = true
    heartbeat?.start()
    delegations.start()
    markReady()
  }
  if (tokens.read()) startLoops()
  registered.then(startLoops, () => undefined)

  // The readiness probe must reach the socket we bound: loopback for wildcard binds, else the bound address.
  const probeHost = ['0.0.0.0', '::', ''].includes(settings.a2aHost) ? '127.0.0.1' : settings.a2aHost
  let initialPrompt: Promise<unknown> = Promise.resolve()
  if (config.initial_prompt) {
    initialPrompt = platformReady
      .then(() =>
        runInitialPrompt({
          prompt: config.initial_prompt,
          platform,
          markerPaths: [
            join(configDir, '.initial_prompt_done'),
            join(settings.workspaceDir, '.initial_prompt_done'),
          ],
          readinessUrl: `${advertisedUrl(probeHost, port)}/.well-known/agent-card.json`,
          readinessIntervalMs: settings.readinessIntervalMs,
          signal: abort.signal,
          logger: log.child({ component: 'initial-prompt' }),
        }),
      )
      .catch(() => undefined)
  }
  let idle: IdleLoop | undefined
  if (config.idle_prompt) {
    idle = new IdleLoop({
      prompt: config.idle_prompt,
      platform,
      intervalMs: settings.idleIntervalMs ?? config.idle_interval_seconds * 1000,
      ...(settings.idleSettleMs !== undefined ? { settleMs: settings.idleSettleMs } : {}),
      activeTasks: () => activity.activeTasks,
      logger: log.child({ component: 'idle' }),
    })
    void platformReady.then(() => {
      if (!abort.signal.aborted) idle?.start()
    })
    log.info({ intervalSeconds: config.idle_interval_seconds }, 'Idle loop: enabled')
  }

  let stopping: Promise<{ cancelled: number }> | undefined
  const stop = (reason = 'stop'): Promise<{ cancelled: number }> => {
    stopping ??= (async () => {
      log.info(
        { reason, activeTasks: activity.activeTasks, graceMs: settings.shutdownGraceMs },
        'shutting down',
      )
      // What was running when the stop began: if some of it had to be cancelled, the snapshot names it.
      const interruptedTask = activity.currentTask
      const { canceled } = await server.drain({ graceMs: settings.shutdownGraceMs })
      const cancelled = canceled.length
      let adapterState: Record<string, unknown> = {}
      try {
        adapterState = (await adapter.preStopState?.()) ?? {}
      } catch (err) {
        log.warn({ err: describe(err) }, 'adapter preStopState failed; snapshot without adapter state')
      }
      const wrote = await snapshots.write(
        buildSnapshot({
          workspaceId,
          currentTask: cancelled > 0 ? activity.currentTask || interruptedTask : activity.currentTask,
          activeTasks: Math.max(activity.activeTasks, cancelled),
          uptimeSeconds: Math.floor((Date.now() - startedAt) / 1000),
          adapterState,
        }),
      )
      if (wrote) log.info({ path: snapshots.path }, 'pre-stop snapshot written')
      else log.warn({ path: snapshots.path }, 'pre-stop snapshot could not be written')
      abort.abort()
      idle?.stop()
      await Promise.allSettled([registration.stop(), heartbeat?.stop(), delegations.stop(), initialPrompt])
      await server.close()
      log.info({ cancelled }, 'stopped')
      return { cancelled }
    })()
    return stopping
  }

  return { workspaceId, url, port, adapter, activity, wedge, registered, stop }
}

/**
 * Tools handed to the adapter are bound to this workspace: whatever context the adapter passes (often just
 * `{ signal }`) is completed with the runtime's platform client, identity and logger.
 */
export function bindTools(tools: readonly Tool[], base: ToolContext): Tool[] {
  return tools.map(
    (tool): Tool => ({
      ...tool,
      async run(ctx: Partial<ToolContext> | undefined, raw: unknown) {
        const parsed = tool.input.safeParse(raw ?? {})
        if (!parsed.success) {
          return {
            text: `Error: invalid arguments for ${tool.name}: ${describeInputIssues(parsed.error)}`,
            isError: true,
          }
        }
        const merged: ToolContext = { ...base }
        for (const [key, value] of Object.entries(ctx ?? {})) {
          if (value !== undefined) (merged as unknown as Record<string, unknown>)[key] = value
        }
        return tool.run(merged, parsed.data)
      },
    }),
  )
}

/**
 * The `heartbeat` handle adapters receive in `AdapterConfig`: adapter-core's `setCurrentTask`, plus the wedge
 * switch of §2.9 (`markWedged(reason)` / `clearWedge()`) for non-recoverable per-process states such as an SDK
 * stuck initialising. While wedged, every heartbeat carries `runtime_state: "wedged"` and the reason, and the
 * platform shows the workspace as degraded; clearing it brings the workspace back online.
 */
export interface RuntimeHeartbeatHandle {
  setCurrentTask(task: string): void
  markWedged(reason: string): void
  clearWedge(): void
  readonly wedged: boolean
}

export function runtimeHeartbeatHandle(
  activity: TaskActivity,
  wedge: WedgeState,
  log: Logger,
  onChange: () => void = () => {},
): RuntimeHeartbeatHandle {
  return {
    setCurrentTask: (task) => activity.setCurrentTask(task),
    markWedged(reason) {
      if (wedge.mark(reason)) {
        log.error({ reason: wedge.reason }, 'runtime wedged; reporting degraded until cleared')
        onChange()
      }
    },
    clearWedge() {
      if (wedge.clear()) {
        log.info('runtime wedge cleared')
        onChange()
      }
    },
    get wedged() {
      return wedge.wedged
    },
  }
}
