import { Hono } from 'hono'
import type { Logger } from 'pino'
import { A2aProxy } from './a2a-proxy.js'
import { AuthGates } from './auth-gates.js'
import { DelegationRunner } from './delegation-runner.js'
import { LivenessSweep } from './liveness-sweep.js'
import { createLogger } from './logger.js'
import { type DevPlatformOptions, type ResolvedOptions, resolveOptions } from './options.js'
import { PlatformState } from './platform-state.js'
import { installActivityRoutes } from './routes/activity-routes.js'
import { installApprovalRoutes } from './routes/approval-routes.js'
import { installContextRoutes } from './routes/context-routes.js'
import { installDelegationRoutes } from './routes/delegation-routes.js'
import { installEventRoutes } from './routes/event-routes.js'
import { installHarnessRoutes } from './routes/harness-routes.js'
import { installMemoryRoutes } from './routes/memory-routes.js'
import { installRegistryRoutes } from './routes/registry-routes.js'
import type { RouteContext } from './routes/route-context.js'
import { installUploadRoutes } from './routes/upload-routes.js'
import { installWorkspaceRoutes } from './routes/workspace-routes.js'
import { type CreateWorkspaceInput, createWorkspaceRecord } from './workspace-factory.js'

/** The platform before it listens: a hono app, its in-memory state, and the background sweep. */
export interface DevPlatform {
  app: Hono
  state: PlatformState
  options: ResolvedOptions
  logger: Logger
  /** Runs the liveness/provisioning/retention checks once (the sweep timer calls this too). */
  sweep(): void
  /** Starts the periodic sweep (startDevPlatform does this). */
  startSweep(): void
  /** Stops the sweep and closes open event streams; waits for background delegations. */
  shutdown(): Promise<void>
  /** Mirrors `POST /workspaces` without HTTP; `mint_token: true` also returns a token. */
  createWorkspace(input: CreateWorkspaceInput): Promise<{ id: string; token?: string }>
}

export function createDevPlatform(options: DevPlatformOptions = {}): DevPlatform {
  const resolved = resolveOptions(options)
  const logger = options.logger ?? createLogger(options.logLevel ?? 'info')
  const state = new PlatformState(resolved.now)
  const gates = new AuthGates(state, resolved)
  const proxy = new A2aProxy(state, resolved, logger.child({ component: 'a2a-proxy' }))
  const delegations = new DelegationRunner(state, proxy, resolved, logger.child({ component: 'delegation' }))
  const sweep = new LivenessSweep(state, resolved, logger.child({ component: 'liveness' }))
  const closers = new Set<() => void>()
  const ctx: RouteContext = { state, options: resolved, logger, gates, proxy, delegations }

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
  for (const install of [
    installHarnessRoutes,
    installRegistryRoutes,
    installWorkspaceRoutes,
    installActivityRoutes,
    installMemoryRoutes,
    installDelegationRoutes,
    installApprovalRoutes,
    installContextRoutes,
    installUploadRoutes,
  ]) {
    install(app, ctx)
  }
  installEventRoutes(app, ctx, closers)

  return {
    app,
    state,
    options: resolved,
    logger,
    sweep: () => sweep.tick(),
    startSweep: () => sweep.start(),
    async shutdown() {
      sweep.stop()
      for (const close of closers) close()
      await delegations.settled()
    },
    async createWorkspace(input) {
      const { workspace, token } = createWorkspaceRecord(state, input)
      return token === undefined ? { id: workspace.id } : { id: workspace.id, token }
    },
  }
}
