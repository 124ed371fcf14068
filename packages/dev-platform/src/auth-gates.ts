import type { Context } from 'hono'
import { ConsoleSessions } from './console/console-sessions.js'
import { safeEqual } from './ids.js'
import type { ResolvedOptions } from './options.js'
import type { PlatformState } from './platform-state.js'

/** A gate's verdict: undefined = pass, otherwise the exact upstream 401 to send. */
export type GateFailure = { status: 401; body: { error: string } } | undefined

/** Exact, case-sensitive `Bearer ` prefix, like upstream; the rest trimmed. */
export function bearerOf(c: Context): string | undefined {
  const header = c.req.header('Authorization')
  if (!header?.startsWith('Bearer ')) return undefined
  const token = header.slice('Bearer '.length).trim()
  return token || undefined
}

/**
 * The platform's three credential checks (boot-or-bearer, WorkspaceAuth, AdminAuth) over the in-memory token store;
 * the route middleware in `routes/auth-middleware.ts` decides which one a route gets.
 */
export class AuthGates {
  constructor(
    private readonly state: PlatformState,
    private readonly options: ResolvedOptions,
    /** Browser sessions of the dev console (the console's page decides approvals without holding a token). */
    readonly sessions: ConsoleSessions = new ConsoleSessions(),
  ) {}

  /** Whether `token` is the configured admin token (console sign-in). */
  isAdminToken(token: string): boolean {
    return this.options.adminToken !== undefined && safeEqual(token, this.options.adminToken)
  }

  /**
   * boot-or-bearer(X): free while X has no live token (bootstrap), then X's own bearer is required.
   * `who` picks the wording: registry routes say "workspace", the A2A caller check says "caller".
   */
  bootOrBearer(
    c: Context,
    workspaceId: string,
    who: 'workspace' | 'caller' = 'workspace',
    devOpen = false,
  ): GateFailure {
    if (this.state.tokens.liveCount(workspaceId) === 0) return undefined
    const token = bearerOf(c)
    if (!token) {
      // Dev fail-open covers discovery (peers/discover) upstream, never register or heartbeat.
      if (devOpen && this.options.lenient) return undefined
      return { status: 401, body: { error: `missing ${who} auth token` } }
    }
    if (!this.state.tokens.verify(workspaceId, token)) {
      return { status: 401, body: { error: `invalid ${who} auth token` } }
    }
    return undefined
  }

  /** WorkspaceAuth: admin token, or a live token bound to `:id`; no bootstrap grace (dev mode aside). */
  workspace(c: Context, workspaceId: string): GateFailure {
    const token = bearerOf(c)
    if (token) {
      if (this.isAdminToken(token) || this.state.tokens.verify(workspaceId, token)) return undefined
      return { status: 401, body: { error: 'invalid workspace auth token' } }
    }
    if (this.options.lenient) return undefined
    return { status: 401, body: { error: 'missing workspace auth token' } }
  }

  /** Who may see the console: AdminAuth, or a console session (signed in with the admin token, when one is set). */
  console(c: Context): GateFailure {
    return this.sessions.holds(c) ? undefined : this.admin(c)
  }

  /** The decide route: WorkspaceAuth, or a console session (a human clicking Approve or Deny). */
  decide(c: Context, workspaceId: string): GateFailure {
    return this.sessions.holds(c) && !bearerOf(c) ? undefined : this.workspace(c, workspaceId)
  }

  /**
   * AdminAuth. With `adminToken` configured the bearer must equal it; without one the harness routes are
   * open (a loopback dev server; upstream's "any workspace token is admin" fallback is deliberately dropped).
   */
  admin(c: Context): GateFailure {
    if (this.options.adminToken === undefined || this.options.lenient) return undefined
    const token = bearerOf(c)
    if (!token) return { status: 401, body: { error: 'admin auth required' } }
    if (!this.isAdminToken(token)) return { status: 401, body: { error: 'invalid admin auth token' } }
    return undefined
  }
}
