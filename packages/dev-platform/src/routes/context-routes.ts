import { Hono } from 'hono'
import { errorJson, type RouteContext } from './route-context.js'

/** What an agent reads at boot and now and then: instructions, shared files, secrets, GitHub token, budget. */
export function contextRoutes({ state, options }: RouteContext): Hono {
  const app = new Hono()

  // GET /workspaces/:id/instructions/resolve: the markdown configured for this workspace (or for `*`).
  app.get('/instructions/resolve', (c) => {
    const id = c.req.param('id') ?? ''
    const instructions = options.instructions[id] ?? options.instructions['*'] ?? ''
    return c.json({ workspace_id: id, instructions })
  })

  // GET /workspaces/:id/shared-context: the files configured for this workspace.
  app.get('/shared-context', (c) => {
    const id = c.req.param('id') ?? ''
    if (!state.get(id)) return errorJson(c, 404, 'workspace not found')
    return c.json(options.sharedContext[id] ?? [])
  })

  // GET /workspaces/:id/secrets/values: the secrets bundle of remote agents (global values, overlaid by the
  // workspace's own).
  app.get('/secrets/values', (c) => {
    const id = c.req.param('id') ?? ''
    return c.json({ ...(options.secrets['*'] ?? {}), ...(options.secrets[id] ?? {}) })
  })

  // GET /workspaces/:id/github-installation-token: a dev platform has no GitHub App.
  app.get('/github-installation-token', (c) => errorJson(c, 404, 'no GitHub App configured'))

  // GET /workspaces/:id/budget: limit, spend this month, and what is left.
  app.get('/budget', (c) => {
    const ws = state.get(c.req.param('id') ?? '')
    if (!ws) return errorJson(c, 404, 'workspace not found')
    return c.json({
      budget_limit: ws.budget_limit,
      monthly_spend: ws.monthly_spend,
      budget_remaining: ws.budget_limit === null ? null : Math.max(0, ws.budget_limit - ws.monthly_spend),
    })
  })

  return app
}
