import { Hono } from 'hono'
import { consoleRoutes } from './console/console-routes.js'
import { activityRoutes } from './routes/activity-routes.js'
import { approvalRoutes } from './routes/approval-routes.js'
import { workspaceAuth } from './routes/auth-middleware.js'
import { checkpointRoutes } from './routes/checkpoint-routes.js'
import { contextRoutes } from './routes/context-routes.js'
import { delegationRoutes } from './routes/delegation-routes.js'
import { eventRoutes } from './routes/event-routes.js'
import { harnessRoutes } from './routes/harness-routes.js'
import { kvRoutes } from './routes/kv-routes.js'
import { memoryRoutes } from './routes/memory-routes.js'
import { registryRoutes } from './routes/registry-routes.js'
import { requestGuard } from './routes/request-guard.js'
import type { RouteContext } from './routes/route-context.js'
import { tokenRoutes } from './routes/token-routes.js'
import { uploadRoutes } from './routes/upload-routes.js'
import { workspaceRoutes } from './routes/workspace-routes.js'

/** The platform's HTTP surface: every route group, mounted in one place. */
export function createHttpApp(ctx: RouteContext, closers: Set<() => void>): Hono {
  const { logger } = ctx
  const app = new Hono()
  app.use(async (c, next) => {
    const started = performance.now()
    await next()
    // Method, path and status only: headers (and so tokens) never reach the log.
    logger.debug(
      {
        method: c.req.method,
        path: c.req.path,
        status: c.res.status,
        ms: Math.round(performance.now() - started),
      },
      'request',
    )
  })
  app.onError((err, c) => {
    logger.error({ err }, 'unhandled error')
    return c.json({ error: 'internal error' }, 500)
  })
  app.notFound((c) => c.text('404 page not found', 404))

  // Host, Origin and Content-Type of every request, before any credential is looked at (and after the request log,
  // so refusals are logged too).
  app.use(requestGuard(ctx))
  // The credential check of every route under /workspaces/:id, before any of them runs.
  app.use('/workspaces/:id/*', workspaceAuth(ctx))

  app.route('/', harnessRoutes(ctx))
  app.route('/registry', registryRoutes(ctx))
  app.route('/workspaces/:id', workspaceRoutes(ctx))
  app.route('/workspaces/:id/tokens', tokenRoutes(ctx))
  app.route('/workspaces/:id', activityRoutes(ctx))
  app.route('/workspaces/:id/memories', memoryRoutes(ctx))
  app.route('/workspaces/:id', delegationRoutes(ctx))
  app.route('/', approvalRoutes(ctx))
  app.route('/workspaces/:id', contextRoutes(ctx))
  app.route('/workspaces/:id/checkpoints', checkpointRoutes(ctx))
  app.route('/workspaces/:id/memory', kvRoutes(ctx))
  app.route('/workspaces/:id', uploadRoutes(ctx))
  app.route('/workspaces/:id/events', eventRoutes(ctx, closers))
  if (ctx.options.console) app.route('/', consoleRoutes(ctx, closers))
  return app
}
