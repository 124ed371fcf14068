import type { Context, MiddlewareHandler } from 'hono'
import { matchedRoutes } from 'hono/route'
import {
  acceptsContentType,
  isHostAllowed,
  isOriginAllowed,
  mediaTypeOf,
  type RequestPolicy,
} from '../request-policy.js'
import { errorJson, type RouteContext } from './route-context.js'

const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE'])

/** The only routes that take a body other than JSON: chat uploads are `multipart/form-data`. */
const MULTIPART_ROUTES = new Set(['POST /workspaces/:id/chat/uploads'])

type Refusal = { status: 403 | 415; error: string }

function isMultipartRoute(c: Context): boolean {
  return matchedRoutes(c).some((route) => MULTIPART_ROUTES.has(`${route.method} ${route.path}`))
}

/** Why the request is refused (Host, then Origin, then Content-Type), or undefined when it may go on. */
function refusalOf(c: Context, policy: RequestPolicy): Refusal | undefined {
  const host = c.req.header('Host')
  if (!isHostAllowed(host, policy)) {
    return {
      status: 403,
      error: `Host "${host}" is not allowed: the dev platform answers IP addresses, localhost and the host it was started with; to use this name add it with the allowedHosts option (--allow-host)`,
    }
  }
  const origin = c.req.header('Origin')
  if (!isOriginAllowed(origin, host, policy)) {
    return {
      status: 403,
      error: `Origin "${origin}" is not allowed: only the dev platform's own origin may call it from a browser; to let that site's pages call it add the origin with the allowedOrigins option (--allow-origin)`,
    }
  }
  const contentType = c.req.header('Content-Type')
  if (WRITE_METHODS.has(c.req.method) && !acceptsContentType(contentType, isMultipartRoute(c))) {
    return {
      status: 415,
      error: `Content-Type "${mediaTypeOf(contentType)}" is not accepted on ${c.req.method} ${c.req.path}: send the body as JSON with Content-Type: application/json (curl -d alone sends application/x-www-form-urlencoded)`,
    }
  }
  return undefined
}

/**
 * The browser guard in front of every route (mounted once, before the credential checks): refuses a `Host` the
 * platform does not answer to and an `Origin` it does not trust (403), and a write whose `Content-Type` a cross-site
 * form or `fetch` could send without a preflight (415). The rules themselves are in `request-policy.ts`.
 */
export function requestGuard({ options, logger }: RouteContext): MiddlewareHandler {
  const policy: RequestPolicy = {
    allowedOrigins: new Set(options.allowedOrigins),
    allowedHosts: new Set(options.allowedHosts),
    listenHost: options.host,
  }
  return async (c, next) => {
    const refusal = refusalOf(c, policy)
    if (refusal) {
      logger.warn({ method: c.req.method, path: c.req.path, status: refusal.status }, refusal.error)
      return errorJson(c, refusal.status, refusal.error)
    }
    await next()
  }
}
