import { Hono } from 'hono'
import { TokenStore } from '../token-store.js'
import { errorJson, limitParam, type RouteContext } from './route-context.js'

const MAX_LIVE_TOKENS = 50

/** A workspace's bearer tokens: list, mint, revoke (the plaintext is shown once, at mint time). */
export function tokenRoutes({ state }: RouteContext): Hono {
  const app = new Hono()

  // GET /workspaces/:id/tokens[?limit=&offset=]: the live tokens (id, prefix, dates), never their values.
  app.get('/', (c) => {
    const live = state.tokens.live(c.req.param('id') ?? '')
    const limit = limitParam(c.req.query('limit'), 50, 200)
    const offset = Math.max(0, Number(c.req.query('offset')) || 0)
    return c.json({ tokens: live.slice(offset, offset + limit).map(TokenStore.describe), count: live.length })
  })

  // POST /workspaces/:id/tokens: mints one more (at most 50 live per workspace).
  app.post('/', (c) => {
    const id = c.req.param('id') ?? ''
    const ws = state.get(id)
    if (!ws || ws.status === 'removed') return errorJson(c, 404, 'workspace not found')
    if (state.tokens.liveCount(id) >= MAX_LIVE_TOKENS) {
      return errorJson(c, 429, `maximum ${MAX_LIVE_TOKENS} active tokens per workspace`)
    }
    const { token } = state.tokens.mint(id)
    return c.json(
      { auth_token: token, workspace_id: id, message: 'Store this token now: it cannot be shown again.' },
      201,
    )
  })

  // DELETE /workspaces/:id/tokens/:tokenId: revokes it at once.
  app.delete('/:tokenId', (c) => {
    if (!state.tokens.revoke(c.req.param('id') ?? '', c.req.param('tokenId'))) {
      return errorJson(c, 404, 'token not found or already revoked')
    }
    return c.json({ status: 'revoked' })
  })

  return app
}
