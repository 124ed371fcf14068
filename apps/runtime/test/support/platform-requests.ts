import type { Logger } from '@molecule/core'

/** One request the dev platform answered, as its request log line saw it. */
export interface PlatformRequest {
  /** When the request reached the platform: the time of its log line less the handling time it reports. */
  at: number
  method: string
  path: string
  status: number
}

/**
 * A `Logger` for `startDevPlatform({ logger })` that keeps the platform's per-request debug line (method, path,
 * status) with a timestamp, and drops every other line.
 */
export function platformRequestLog(): { logger: Logger; requests: PlatformRequest[] } {
  const requests: PlatformRequest[] = []
  const ignore = (): void => {}
  const logger: Logger = {
    debug(obj: unknown, msg?: string) {
      if (msg !== 'request' || typeof obj !== 'object' || obj === null) return
      const { method, path, status, ms } = obj as Partial<PlatformRequest> & { ms?: number }
      if (typeof method === 'string' && typeof path === 'string' && typeof status === 'number') {
        requests.push({ at: Date.now() - (ms ?? 0), method, path, status })
      }
    },
    info: ignore,
    warn: ignore,
    error: ignore,
    child: () => logger,
  }
  return { logger, requests }
}
