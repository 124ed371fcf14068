/** @jsxRuntime automatic @jsxImportSource hono/jsx */
import { Hono } from 'hono'
import { z } from 'zod'
import type { PlatformState } from '../platform-state.js'
import { jsonBody } from '../routes/json-body.js'
import { errorJson, type RouteContext } from '../routes/route-context.js'
import { sseResponse } from '../routes/sse-response.js'
import { ConsoleFeed } from './console-feed.js'
import { ConsoleSessions } from './console-sessions.js'
import { InboxCounter } from './inbox-counter.js'
import { ConsolePage, SignInPage, WorkspacePage } from './pages.js'
import { approvalEntry } from './records.js'
import { newestRows } from './snapshot.js'
import { loadStaticFiles } from './static-assets.js'
import { timelineEntry } from './traffic.js'
import { summarizeWorkspace } from './workspace-summary.js'

const SignInBody = z.object({ token: z.string().min(1) })

/** A comment line now and then keeps idle streams open through proxies and tells a dead client from a live one. */
const KEEPALIVE_MS = 20_000

/** Frames waiting for a slow page at most; beyond that the stream waits (marks keep accumulating, nothing is lost). */
const STREAM_BUFFER = 16

const NO_STORE = { 'Cache-Control': 'no-store' }

function workspacePageData(state: PlatformState, inbox: InboxCounter, id: string) {
  const ws = state.get(id)
  if (!ws || ws.status === 'removed') return undefined
  const tasks = newestRows(state, (row) => row.activity_type === 'a2a_receive' && row.workspace_id === id, 20)
  const approvals = [...state.approvals.values()].filter((a) => a.workspace_id === id).slice(-20)
  return {
    summary: summarizeWorkspace(state, ws, inbox),
    card: ws.agent_card,
    tasks: tasks.reverse().map((row) => timelineEntry(state, row)),
    approvals: approvals.reverse().map((approval) => approvalEntry(state, approval)),
  }
}

/**
 * The dev console: the page at `/`, a page per workspace, the live stream the page listens to, and sign-in when
 * the platform has an admin token. Opening `/` without an admin token starts a session; the session cookie is what
 * lets the page call the approval decide route.
 */
export function consoleRoutes(ctx: RouteContext, closers: Set<() => void>): Hono {
  const { state, options, gates } = ctx
  const sessions: ConsoleSessions = gates.sessions
  const inbox = new InboxCounter(state)
  const files = loadStaticFiles()
  const app = new Hono()

  app.get('/', (c) => {
    if (!sessions.holds(c)) {
      if (gates.admin(c)) return c.html(<SignInPage />, 200, NO_STORE)
      c.header('Set-Cookie', ConsoleSessions.cookie(sessions.mint()))
    }
    return c.html(<ConsolePage />, 200, NO_STORE)
  })

  app.post(
    '/console/session',
    jsonBody(SignInBody, () => ({ error: 'send {"token": "<admin token>"}' })),
    (c) => {
      if (!gates.isAdminToken(c.req.valid('json').token)) return errorJson(c, 401, 'invalid admin auth token')
      c.header('Set-Cookie', ConsoleSessions.cookie(sessions.mint()))
      return c.body(null, 204)
    },
  )

  app.get('/console/static/:name', (c) => {
    const file = files.get(c.req.param('name'))
    if (!file) return c.text('404 page not found', 404)
    return c.body(file.body, 200, { 'Content-Type': file.type, 'Cache-Control': 'no-cache' })
  })

  app.get('/console/workspaces/:id', (c) => {
    const denied = gates.console(c)
    if (denied) return c.redirect('/', 302)
    const data = workspacePageData(state, inbox, c.req.param('id'))
    if (!data)
      return c.html(
        <p>
          No such workspace. <a href="/">Back to the console</a>
        </p>,
        404,
      )
    return c.html(<WorkspacePage {...data} />, 200, NO_STORE)
  })

  // GET /console/stream: `snapshot` once, then a `batch` at most every consoleFlushMs while anything changes.
  app.get('/console/stream', (c) => {
    const denied = gates.console(c)
    if (denied) return c.json(denied.body, denied.status)
    const feed = new ConsoleFeed(state, inbox)
    return sseResponse(closers, STREAM_BUFFER, (write, hasRoom) => {
      const send = (event: string, data: unknown) =>
        write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`)
      let timer: NodeJS.Timeout | undefined
      const flush = () => {
        timer = undefined
        if (!hasRoom()) return schedule()
        const batch = feed.flush()
        if (batch) send('batch', batch)
      }
      const schedule = () => {
        timer ??= setTimeout(flush, options.consoleFlushMs)
      }
      send('snapshot', feed.snapshot())
      const offEvents = state.events.subscribe((event) => {
        feed.onEvent(event)
        schedule()
      })
      const offChanges = state.changes.subscribe((change, workspaceId) => {
        feed.onChange(change, workspaceId)
        schedule()
      })
      const keepalive = setInterval(() => {
        if (hasRoom()) write(': keepalive\n\n')
      }, KEEPALIVE_MS)
      keepalive.unref()
      return () => {
        offEvents()
        offChanges()
        clearInterval(keepalive)
        if (timer) clearTimeout(timer)
      }
    })
  })

  return app
}
