import { rememberSecret } from '@molecule/core'
import { PlatformClient, type TokenSource } from '@molecule/platform-client'
import { PreStopSnapshot } from '../snapshot/pre-stop-snapshot.js'
import { TaskActivity, WedgeState } from '../task-activity.js'
import type { RuntimeTelemetry } from '../telemetry/start-telemetry.js'
import { OwnedTokenStore } from './owned-token-store.js'
import type { ResolvedSettings } from './resolve-settings.js'

/**
 * The workspace turning busy or idle (and the wedge flipping) wants an immediate heartbeat, but the heartbeat loop
 * only exists once the platform phase runs; until it is connected a pulse does nothing (nothing is registered to
 * report to yet).
 */
export class HeartbeatPulse {
  #target: { pulse(): void } | undefined

  connect(target: { pulse(): void }): void {
    this.#target = target
  }

  readonly fire = (): void => {
    this.#target?.pulse()
  }
}

/**
 * The client's view of the token store: every token it reads, re-reads after a 401 or adopts from a register becomes
 * a known secret of the process, so `maskSecrets` (the logger, errors, memories, the snapshot) replaces it anywhere.
 */
export function rememberedTokens(store: TokenSource): TokenSource {
  const remembered = (token: string | undefined): string | undefined => {
    rememberSecret(token)
    return token
  }
  return {
    read: () => remembered(store.read()),
    reload: () => remembered(store.reload()),
    write: (token) => {
      rememberSecret(token)
      return store.write(token)
    },
  }
}

/**
 * The platform's inbound secret: the credential the platform presents when it calls this workspace (sent with
 * register and heartbeat answers). `a2a.auth: bearer` accepts it besides the workspace token.
 */
export class InboundSecret {
  #value: string | undefined

  get value(): string | undefined {
    return this.#value
  }

  /** Keeps a non-blank secret and makes it a known secret of the process (never logged, masked everywhere). */
  set(secret: string | undefined): void {
    if (!secret?.trim()) return
    rememberSecret(secret)
    this.#value = secret
  }
}

/** What the phases after preflight share: one platform client, the task and wedge state, the stop signal. */
export interface WorkspaceState {
  /** Platform calls carry the token of `tokens`; a 401 makes the client re-read it once. */
  platform: PlatformClient
  /** `$CONFIGS_DIR/.auth_token`: minted at the first register, reused after a restart by the same workspace id. */
  tokens: OwnedTokenStore
  inboundSecret: InboundSecret
  activity: TaskActivity
  wedge: WedgeState
  pulse: HeartbeatPulse
  /** Aborted by `stop`: cancels self-prompts and tool calls still in flight. */
  abort: AbortController
  startedAt: number
  snapshots: PreStopSnapshot
  /** Set when tracing is configured; undefined (and nothing traced) otherwise. */
  telemetry: RuntimeTelemetry | undefined
}

/** Phase 3. Builds the state every later phase shares; no I/O. */
export function workspaceState(
  resolved: ResolvedSettings,
  telemetry: RuntimeTelemetry | undefined = undefined,
): WorkspaceState {
  const { runtimeEnv, workspaceId, log } = resolved
  const tokens = new OwnedTokenStore({
    configsDir: runtimeEnv.configsDir,
    workspaceId,
    log,
  })
  const platform = new PlatformClient({
    platformUrl: runtimeEnv.platformUrl,
    workspaceId,
    token: rememberedTokens(tokens),
    logger: log.child({ component: 'platform' }),
    ...(telemetry ? { tracer: telemetry.requestTracer } : {}),
  })
  const pulse = new HeartbeatPulse()
  return {
    platform,
    tokens,
    inboundSecret: new InboundSecret(),
    activity: new TaskActivity(pulse.fire),
    wedge: new WedgeState(),
    pulse,
    abort: new AbortController(),
    startedAt: Date.now(),
    snapshots: new PreStopSnapshot(runtimeEnv.agentSnapshotPath),
    telemetry,
  }
}
