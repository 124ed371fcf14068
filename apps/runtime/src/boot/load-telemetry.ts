import type { RuntimeTelemetry } from '../telemetry/start-telemetry.js'
import { telemetrySettings } from '../telemetry/telemetry-settings.js'
import type { ResolvedSettings } from './resolve-settings.js'

export type { RuntimeTelemetry } from '../telemetry/start-telemetry.js'

/**
 * Boot phase between preflight and the workspace state: with no tracing variable set it answers undefined at once
 * and nothing of OpenTelemetry is ever loaded (no wrapper on the executor, the tools or the platform client).
 * Otherwise the SDK is imported now, on demand.
 */
export async function loadTelemetry(resolved: ResolvedSettings): Promise<RuntimeTelemetry | undefined> {
  const settings = telemetrySettings(resolved.env)
  if (settings === undefined) return undefined
  const { startTelemetry } = await import('../telemetry/start-telemetry.js')
  return startTelemetry(
    settings,
    { workspaceId: resolved.workspaceId, agentName: resolved.config.name || resolved.workspaceId },
    resolved.log.child({ component: 'telemetry' }),
  )
}
