import type { Context, Env, Input, MiddlewareHandler } from 'hono'
import { matchedRoutes } from 'hono/route'
import type { BlankInput } from 'hono/types'
import { bearerOf, type GateFailure } from '../auth-gates.js'
import { isUuid } from '../ids.js'
import { errorJson, type RouteContext } from './route-context.js'

declare module 'hono' {
  interface ContextVariableMap {
    /** Who sends an A2A call: a workspace id, or null for the user (canvas). Set by `workspaceAuth` on `…/a2a`. */
    callerId: string | null
  }
}

/** How the routes under `/workspaces/:id` check credentials; `workspace` (WorkspaceAuth on `:id`) unless listed. */
type WorkspaceRule =
  | 'open'
  | 'admin'
  | 'workspace'
  | 'caller'
  | 'own-token-too'
  | 'uuid-then-own-token-too'
  | 'workspace-or-console'

/**
 * The exceptions to WorkspaceAuth, by route. A route missing here is WorkspaceAuth, so a new route is guarded unless
 * it is opened here on purpose.
 */
const WORKSPACE_RULES: Record<string, WorkspaceRule> = {
  // The public card of a workspace (a removed one answers 410).
  'GET /workspaces/:id': 'open',
  // Deleting a workspace (and its subtree) is an operator action.
  'DELETE /workspaces/:id': 'admin',
  // The user (canvas) sends without credentials; a workspace caller must hold its own token, a workspace calling
  // itself included.
  'POST /workspaces/:id/a2a': 'caller',
  // Read by remote agents: WorkspaceAuth, and once the workspace has a live token only that token opens them (not
  // the admin token, not lenient mode).
  'GET /workspaces/:id/state': 'own-token-too',
  // The same, but a malformed id is refused (400) before any credential is looked at.
  'GET /workspaces/:id/secrets/values': 'uuid-then-own-token-too',
  // A human decides in the dev console: its session cookie stands in for a token (on this route only).
  'POST /workspaces/:id/approvals/:approvalId/decide': 'workspace-or-console',
}

function deny(c: Context, failure: GateFailure): Response | undefined {
  return failure ? c.json(failure.body, failure.status) : undefined
}

/**
 * The one credential check of every route under `/workspaces/:id`, mounted on `/workspaces/:id/*`. A request that
 * matches no route passes untouched, so an unknown path answers 404 whatever its credentials.
 */
export function workspaceAuth({ state, gates }: RouteContext): MiddlewareHandler {
  const check: Record<WorkspaceRule, (c: Context, id: string) => Response | undefined> = {
    open: () => undefined,
    admin: (c) => deny(c, gates.admin(c)),
    workspace: (c, id) => deny(c, gates.workspace(c, id)),
    'workspace-or-console': (c, id) => deny(c, gates.decide(c, id)),
    'own-token-too': (c, id) => deny(c, gates.workspace(c, id) ?? gates.bootOrBearer(c, id)),
    'uuid-then-own-token-too': (c, id) =>
      isUuid(id) ? check['own-token-too'](c, id) : errorJson(c, 400, 'invalid workspace ID'),
    caller: (c) => {
      // Bridges of the poll era name themselves with X-Source-Workspace-Id; newer servers also take the caller from
      // a workspace bearer sent without any caller header. No caller at all is the user. A workspace naming itself
      // is checked like any caller: otherwise anyone could write rows (a fake delegate_result) as that workspace.
      const token = bearerOf(c)
      const callerId =
        c.req.header('X-Workspace-ID') ||
        c.req.header('X-Source-Workspace-Id') ||
        (token ? state.tokens.lookup(token)?.workspaceId : undefined) ||
        null
      c.set('callerId', callerId)
      if (!callerId) return undefined
      return deny(c, gates.bootOrBearer(c, callerId, 'caller'))
    },
  }
  return async (c, next) => {
    const route = matchedRoutes(c).find((r) => r.method !== 'ALL')
    if (!route) return next()
    const rule = WORKSPACE_RULES[`${route.method} ${route.path}`] ?? 'workspace'
    const denied = check[rule](c, c.req.param('id') ?? '')
    if (denied) return denied
    await next()
  }
}

/**
 * Boot-or-bearer for the registry routes, on the workspace the request names (`workspaceOf`: a body field, a header,
 * the path): free until that workspace has a live token, then its own bearer. `discovery` routes also let a
 * credential-less call through in lenient mode; register, heartbeat and update-card never do.
 */
export function ownTokenAuth<I extends Input = BlankInput>(
  { gates }: RouteContext,
  workspaceOf: (c: Context<Env, string, I>) => string,
  { discovery = false }: { discovery?: boolean } = {},
): MiddlewareHandler<Env, string, I> {
  return async (c, next) => {
    const denied = deny(c, gates.bootOrBearer(c, workspaceOf(c), 'workspace', discovery))
    if (denied) return denied
    await next()
  }
}

/** AdminAuth, for the operator routes outside `/workspaces/:id`. */
export function adminAuth({ gates }: RouteContext): MiddlewareHandler {
  return async (c, next) => {
    const denied = deny(c, gates.admin(c))
    if (denied) return denied
    await next()
  }
}
