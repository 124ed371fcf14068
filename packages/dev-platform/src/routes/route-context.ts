import type { Context, Hono } from 'hono'
import type { ContentfulStatusCode } from 'hono/utils/http-status'
import type { Logger } from 'pino'
import type { A2aProxy } from '../a2a-proxy.js'
import type { AuthGates, GateFailure } from '../auth-gates.js'
import type { DelegationRunner } from '../delegation-runner.js'
import type { ResolvedOptions } from '../options.js'
import type { PlatformState } from '../platform-state.js'

export interface RouteContext {
  state: PlatformState
  options: ResolvedOptions
  logger: Logger
  gates: AuthGates
  proxy: A2aProxy
  delegations: DelegationRunner
}

export type RouteInstaller = (app: Hono, ctx: RouteContext) => void

/** Sends a `{"error": …}` body (plus any extra keys) with the given status. */
export function errorJson(c: Context, status: number, error: string, extra: Record<string, unknown> = {}) {
  return c.json({ error, ...extra }, status as ContentfulStatusCode)
}

export function sendJson(c: Context, status: number, body: unknown) {
  return c.json(body as object, status as ContentfulStatusCode)
}

export function gateResponse(c: Context, failure: GateFailure) {
  return failure ? c.json(failure.body, failure.status) : undefined
}

/** Parsed JSON body, or undefined when it is not JSON (callers answer with their own 400 text). */
export async function readJson(c: Context): Promise<unknown> {
  try {
    const text = await c.req.text()
    return JSON.parse(text) as unknown
  } catch {
    return undefined
  }
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
}

/** Query param as a positive integer within [1, max], else the default. */
export function limitParam(raw: string | undefined, fallback: number, max: number): number {
  const n = Number(raw)
  if (!raw || !Number.isInteger(n) || n < 1) return fallback
  return Math.min(n, max)
}
