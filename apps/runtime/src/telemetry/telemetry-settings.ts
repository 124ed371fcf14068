/** Where spans go, read from the environment. Undefined when nothing is configured: tracing stays off. */
export interface TelemetrySettings {
  /** `<OTEL_EXPORTER_OTLP_ENDPOINT>/v1/traces` (OTLP over HTTP, JSON). */
  otlpTracesUrl?: string
  /** `OTEL_EXPORTER_OTLP_HEADERS` (`key=value,key2=value2`), sent with every export. */
  otlpHeaders: Record<string, string>
  /** Langfuse's OTLP endpoint and its Basic credentials, when all three LANGFUSE_* variables are set. */
  langfuse?: { url: string; authorization: string }
  /** `OTEL_DEBUG` 1/true/yes: spans are also printed on stdout. */
  console: boolean
  /** `OTEL_BSP_SCHEDULE_DELAY` (ms) between batch exports. Default 5000. */
  scheduleDelayMs: number
  /** `OTEL_SERVICE_NAME`, else `molecule-<workspace id>`. */
  serviceName?: string
}

function headerList(value: string | undefined): Record<string, string> {
  const headers: Record<string, string> = {}
  for (const pair of (value ?? '').split(',')) {
    const at = pair.indexOf('=')
    if (at <= 0) continue
    headers[decodeURIComponent(pair.slice(0, at).trim())] = decodeURIComponent(pair.slice(at + 1).trim())
  }
  return headers
}

/**
 * Reads the tracing variables. Only this reads them at boot, and it imports nothing of OpenTelemetry: with none
 * set, the runtime never loads the SDK and its hot paths carry no tracing code at all.
 */
export function telemetrySettings(env: NodeJS.ProcessEnv): TelemetrySettings | undefined {
  const endpoint = env.OTEL_EXPORTER_OTLP_ENDPOINT?.trim()
  const { LANGFUSE_HOST: host, LANGFUSE_PUBLIC_KEY: publicKey, LANGFUSE_SECRET_KEY: secretKey } = env
  const console = /^(1|true|yes)$/i.test(env.OTEL_DEBUG?.trim() ?? '')
  if (!endpoint && !(host && publicKey && secretKey) && !console) return undefined
  const delay = Number(env.OTEL_BSP_SCHEDULE_DELAY)
  const settings: TelemetrySettings = {
    otlpHeaders: headerList(env.OTEL_EXPORTER_OTLP_HEADERS),
    console,
    scheduleDelayMs: Number.isFinite(delay) && delay >= 0 ? delay : 5000,
  }
  if (endpoint) settings.otlpTracesUrl = `${endpoint.replace(/\/+$/, '')}/v1/traces`
  if (host && publicKey && secretKey) {
    settings.langfuse = {
      url: `${host.replace(/\/+$/, '')}/api/public/otel/v1/traces`,
      authorization: `Basic ${Buffer.from(`${publicKey}:${secretKey}`).toString('base64')}`,
    }
  }
  if (env.OTEL_SERVICE_NAME?.trim()) settings.serviceName = env.OTEL_SERVICE_NAME.trim()
  return settings
}
