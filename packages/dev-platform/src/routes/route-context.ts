import type { Logger } from '@molecule/core'
import type { Context } from 'hono'
import type { ContentfulStatusCode } from 'hono/utils/http-status'
import type { A2aProxy } from '../a2a-proxy.js'
import type { AuthGates } from '../auth-gates.js'
import type { DelegationRunner } from '../delegation-runner.js'
import type { ResolvedOptions } from '../options.js'
import type { PlatformState } from '../platform-state.js'

/** What every route group is built from. */
export interface RouteContext {
  state: PlatformState
  options: ResolvedOptions
  logger: Logger
  gates: AuthGates
  proxy: A2aProxy
  delegations: DelegationRunner
}

/** Sends a `{"error": …}` body (plus any extra keys) with the given status. */
export function errorJson(c: Context, status: number, error: string, extra: Record<string, unknown> = {}) {
  return c.json({ error, ...extra }, status as ContentfulStatusCode)
}

export function sendJson(c: Context, status: number, body: unknown) {
  return c.json(body as object, status as ContentfulStatusCode)
}

/** Query param as a positive integer within [1, max], else the default. */
export function limitParam(raw: string | undefined, fallback: number, max: number): number {
  const n = Number(raw)
  if (!raw || !Number.isInteger(n) || n < 1) return fallback
  return Math.min(n, max)
}
