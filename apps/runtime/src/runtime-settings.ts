import { maskSecrets } from '@molecule/core'
import { RuntimeError } from './runtime-error.js'

/** An echoed value: masked first (a token pasted into the wrong variable stays secret), then cut. */
function shown(raw: string, length: number): string {
  return maskSecrets(raw).slice(0, length)
}

/**
 * Settings only the runtime app reads (timers of its own loops, where it binds, where it writes files).
 * The shared workspace variables (WORKSPACE_ID, PLATFORM_URL, …) come from `@molecule/config`'s `loadEnv`.
 */
export interface RuntimeSettings {
  /** SIGTERM: how long running tasks may finish before they are cancelled. Below Docker's 10 s stop timeout. */
  shutdownGraceMs: number
  /** Interface the A2A server binds: default `0.0.0.0` in a container, `127.0.0.1` outside one (a laptop). */
  a2aHost: string
  /** Overrides config.yaml `a2a.port` (0 = any free port; the advertised URL uses the real one). */
  a2aPortOverride: number | undefined
  delegationPollMs: number | undefined
  /** Shortest time between two immediate heartbeats (the workspace turned busy or idle); default 1000. */
  heartbeatPulseWindowMs: number
  selfMessageCooldownMs: number
  registerRetryBaseMs: number
  registerRetryMaxMs: number
  readinessIntervalMs: number
  idleSettleMs: number | undefined
  /** Overrides config.yaml `idle_interval_seconds` (milliseconds; for tests and demos). */
  idleIntervalMs: number | undefined
  logLevel: string
  /** Push-notification URLs on loopback/private/link-local addresses are refused unless this is set. */
  pushAllowPrivateTargets: boolean
  /**
   * Agent working directory: AGENTS.md and the fallback initial-prompt marker live here. Default `/workspace` in a
   * container, the state directory outside one.
   */
  workspaceDir: string
  /** Quiet time after a skill file changes before the skill is reloaded; default 150. */
  skillsDebounceMs: number
}

/** Where the runtime runs: container defaults differ from a laptop's (see `RuntimeEnv.inContainer`). */
export interface RuntimePlace {
  inContainer: boolean
  /** The resolved state directory (`RuntimeEnv.configsDir`). */
  stateDir: string
}

const CONTAINER: RuntimePlace = { inContainer: true, stateDir: '/configs' }

function integer(
  env: NodeJS.ProcessEnv,
  name: string,
  min: number,
  max = Number.MAX_SAFE_INTEGER,
): number | undefined {
  const raw = env[name]
  if (raw === undefined || raw.trim() === '') return undefined
  const value = Number(raw)
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new RuntimeError(
      'ENV_INVALID',
      `${name}: got "${shown(raw, 40)}", expected an integer from ${min} to ${max}. Fix: set ${name} to a whole number or unset it.`,
    )
  }
  return value
}

export function readRuntimeSettings(
  env: NodeJS.ProcessEnv,
  place: RuntimePlace = CONTAINER,
): RuntimeSettings {
  const level = env.MOLECULE_LOG_LEVEL?.trim() || 'info'
  if (!['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].includes(level)) {
    throw new RuntimeError(
      'ENV_INVALID',
      `MOLECULE_LOG_LEVEL: got "${shown(level, 20)}", expected one of fatal, error, warn, info, debug, trace, silent.`,
    )
  }
  return {
    shutdownGraceMs: integer(env, 'MOLECULE_SHUTDOWN_GRACE_MS', 0) ?? 8000,
    a2aHost: env.MOLECULE_A2A_HOST?.trim() || (place.inContainer ? '0.0.0.0' : '127.0.0.1'),
    a2aPortOverride: integer(env, 'MOLECULE_A2A_PORT', 0, 65535),
    delegationPollMs: integer(env, 'MOLECULE_DELEGATION_POLL_MS', 10),
    heartbeatPulseWindowMs: integer(env, 'MOLECULE_HEARTBEAT_PULSE_WINDOW_MS', 0) ?? 1000,
    selfMessageCooldownMs: integer(env, 'MOLECULE_SELF_MESSAGE_COOLDOWN_MS', 0) ?? 60_000,
    registerRetryBaseMs: integer(env, 'MOLECULE_REGISTER_RETRY_BASE_MS', 1) ?? 500,
    registerRetryMaxMs: integer(env, 'MOLECULE_REGISTER_RETRY_MAX_MS', 1) ?? 30_000,
    readinessIntervalMs: integer(env, 'MOLECULE_READINESS_INTERVAL_MS', 1) ?? 1000,
    idleSettleMs: integer(env, 'MOLECULE_IDLE_SETTLE_MS', 0),
    idleIntervalMs: integer(env, 'MOLECULE_IDLE_INTERVAL_MS', 10),
    logLevel: level,
    pushAllowPrivateTargets: /^(1|true|yes|on)$/i.test(env.MOLECULE_PUSH_ALLOW_PRIVATE_TARGETS?.trim() ?? ''),
    workspaceDir: env.MOLECULE_WORKSPACE_DIR?.trim() || (place.inContainer ? '/workspace' : place.stateDir),
    skillsDebounceMs: integer(env, 'MOLECULE_SKILLS_DEBOUNCE_MS', 0, 60_000) ?? 150,
  }
}
