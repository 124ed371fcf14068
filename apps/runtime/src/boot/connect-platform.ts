import { join } from 'node:path'
import { buildHeartbeatBody, HeartbeatLoop, RegistrationLoop } from '@molecule/platform-client'
import { platformAgentCard } from '../agent-card.js'
import { DelegationResultsLoop } from '../delegation-results-loop.js'
import { heartbeatState } from '../heartbeat-state.js'
import type { PreparedAdapter } from './prepare-adapter.js'
import type { ResolvedSettings } from './resolve-settings.js'
import type { ServedA2A } from './serve-a2a.js'
import type { WorkspaceState } from './workspace-state.js'

/** In `CONFIGS_DIR`: delegation ids already recorded and results not yet announced, across restarts. */
export const DELEGATION_STATE_FILE = '.delegation_results_state.json'

export interface PlatformConnection {
  registration: RegistrationLoop
  heartbeat: HeartbeatLoop
  delegations: DelegationResultsLoop
  /** Resolves when the platform accepted our registration. */
  registered: Promise<void>
  /** Resolves when the platform-facing loops run, i.e. once a token exists. */
  ready: Promise<void>
}

/**
 * Phase 6. Registers with `POST /registry/register`, retried with backoff while A2A already serves. Heartbeats and
 * the delegation-results poll need a token: a provisioned workspace has one on disk and starts them at once, so it
 * comes online by heartbeat even if the platform rejects its advertised URL at register; without one they wait for
 * the first accepted register, which mints it.
 */
export function connectPlatform(
  resolved: ResolvedSettings,
  state: WorkspaceState,
  { adapter }: PreparedAdapter,
  { url, cardInput }: ServedA2A,
): PlatformConnection {
  const { settings, runtimeEnv, log } = resolved
  const { platform, tokens, activity, wedge, startedAt, inboundSecret } = state
  const registration = new RegistrationLoop({
    client: platform,
    body: () => ({ url, agent_card: platformAgentCard(cardInput(url)) }),
    retry: { baseMs: settings.registerRetryBaseMs, maxMs: settings.registerRetryMaxMs },
    logger: log.child({ component: 'registration' }),
    // A refused token needs a person: say so every few retries rather than once a minute.
    failureLog: {
      everyMs: 15_000,
      everyFailures: 5,
      unauthorizedFix: `the platform holds a live token for this workspace that ${tokens.path} does not have (the file was lost, or holds a revoked token). Put the workspace's token back into that file (the runtime picks it up at the next attempt), or revoke the workspace's tokens on the platform so the next register mints a new one.`,
    },
  })
  // Exactly one `registered` line per process (benchmarks and tests key on it); later ones say re-registered.
  // `workspaceId` is already bound to `log`: naming it again would write the key twice.
  let registrations = 0
  // The platform's inbound secret (sent with register and heartbeat answers) is a secret of this process from then on.
  registration.on('registered', (res) => {
    inboundSecret.set(res.platform_inbound_secret)
    log.info({ url }, registrations++ === 0 ? 'registered' : 're-registered')
  })

  // Outcomes carried by the beat in flight; acknowledged when the platform accepts it.
  let reported = { requests: 0, errors: 0 }
  const heartbeat = new HeartbeatLoop({
    client: platform,
    intervalMs: runtimeEnv.heartbeatIntervalMs,
    pulseWindowMs: settings.heartbeatPulseWindowMs,
    logger: log.child({ component: 'heartbeat' }),
    snapshot: () => {
      reported = activity.outcomes
      return buildHeartbeatBody(heartbeatState(adapter, activity, wedge, startedAt, Date.now(), log))
    },
    onReregister: (reason: string) => registration.reregister(reason),
    onResponse: (res) => {
      inboundSecret.set(res.platform_inbound_secret)
      activity.acknowledge(reported)
    },
  })
  state.pulse.connect(heartbeat)

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
  let markReady: () => void = () => {}
  const ready = new Promise<void>((resolve) => {
    markReady = resolve
  })
  // Whichever comes first starts the loops: a token on disk now, or the first accepted register.
  let loopsStarted = false
  const startLoops = (): void => {
    if (loopsStarted) return
    loopsStarted = true
    heartbeat.start()
    delegations.start()
    markReady()
  }
  if (tokens.read()) startLoops()
  registered.then(startLoops, () => undefined)
  return { registration, heartbeat, delegations, registered, ready }
}
