import { createHash, randomUUID } from 'node:crypto'
import { type DelegationRow, isPlatformError, type PlatformClient } from '@molecule/platform-client'
import { z } from 'zod'
import { A2A_ERROR_PREFIX, classifyA2AReply } from './a2a-reply.js'
import { isResolutionError, resolveActing } from './acting-workspace.js'
import { escapePeerMarkers, wrapPeerResult } from './peer-result.js'
import { describeFailure } from './platform-failure.js'
import { defineTool, type Tool, type ToolContext } from './registry.js'

export interface DelegationOptions {
  /** Always use the durable `/delegate` + poll path for synchronous delegation (`DELEGATION_SYNC_VIA_INBOX=1`). */
  syncViaDelegations: boolean
  /** Budget of the durable path (`DELEGATION_TIMEOUT`, default 300 s). */
  delegationTimeoutMs: number
  /** How often the durable path polls `/delegations` (default 3 s). */
  delegationPollIntervalMs: number
  /** Per-attempt timeout of the synchronous A2A send (default 300 s). */
  a2aTimeoutMs: number
  /** Transport-error retries of the synchronous send (default 5 attempts, 1 s doubling, capped 16 s). */
  a2aAttempts: number
  a2aBackoffMs: number
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/

const sourceArg = z
  .string()
  .optional()
  .describe(
    'Which of your workspaces acts (multi-workspace mode). Omit to reply as the workspace the peer last talked to.',
  )

const delegateInput = z.object({
  workspace_id: z
    .string()
    .describe('Target peer workspace id (from list_peers or an inbound message peer_id).'),
  task: z.string().describe('What the peer should do, in full: it has none of your context.'),
  source_workspace_id: sourceArg,
})

/** Failure text with advice, so the agent does not silently retry forever. */
function delegationFailed(peer: string, detail: string): string {
  return [
    `DELEGATION FAILED to ${peer}: ${detail}`,
    'Options: try another peer (list_peers), do the task yourself, or tell the user it could not be delegated.',
  ].join('\n')
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms)
    signal.addEventListener(
      'abort',
      () => {
        clearTimeout(timer)
        resolve()
      },
      { once: true },
    )
  })
}

async function bestEffort(ctx: ToolContext, what: string, fn: () => Promise<unknown>): Promise<void> {
  try {
    await fn()
  } catch (err) {
    ctx.logger.debug({ err: describeFailure(err) }, `${what} failed (best effort)`)
  }
}

/** Durable path: `/delegate`, then poll `/delegations` until the row completes or fails. */
async function delegateDurably(
  ctx: ToolContext,
  client: PlatformClient,
  src: string,
  target: string,
  task: string,
  peer: string,
  options: DelegationOptions,
): Promise<string> {
  let delegationId: string
  try {
    const res = await client.delegate({
      targetId: target,
      task,
      idempotencyKey: idempotencyKey(src, target, task),
    })
    delegationId = res.delegation_id
  } catch (err) {
    return delegationFailed(peer, `${A2A_ERROR_PREFIX}could not start a delegation: ${describeFailure(err)}`)
  }
  const deadline = Date.now() + options.delegationTimeoutMs
  while (Date.now() < deadline && !ctx.signal.aborted) {
    await sleep(options.delegationPollIntervalMs, ctx.signal)
    let rows: DelegationRow[]
    try {
      rows = await client.listDelegations({ signal: ctx.signal })
    } catch (err) {
      ctx.logger.debug({ err: describeFailure(err) }, 'polling delegations failed; will retry')
      continue
    }
    for (const row of rows) {
      if (row.delegation_id !== delegationId) continue
      if (row.status === 'completed') return wrapPeerResult(String(row.response_preview ?? row.summary ?? ''))
      if (row.status === 'failed') {
        return delegationFailed(
          peer,
          `${A2A_ERROR_PREFIX}${String(row.error ?? row.error_detail ?? row.summary ?? 'failed')}`,
        )
      }
    }
  }
  return delegationFailed(
    peer,
    `${A2A_ERROR_PREFIX}delegation ${delegationId} has no result after ${Math.round(options.delegationTimeoutMs / 1000)} s; it may still finish — check it later with check_task_status(workspace_id="${target}", task_id="${delegationId}")`,
  )
}

export function idempotencyKey(src: string, target: string, task: string): string {
  return createHash('sha256').update(`${src}:${target}:${task}`).digest('hex').slice(0, 32)
}

export function delegationTools(options: DelegationOptions): Tool[] {
  const delegateTask = defineTool({
    name: 'delegate_task',
    description:
      "Send a task or reply to a peer workspace and wait for its answer. Use it to answer a peer_agent message (workspace_id = the message's peer_id). Poll-mode peers answer later in your inbox.",
    input: delegateInput,
    async run(ctx, input) {
      const target = input.workspace_id.trim().toLowerCase()
      const task = input.task
      if (!target || !task.trim()) return 'Error: workspace_id and task are required'
      if (!UUID.test(target)) return `Error: workspace_id '${input.workspace_id}' is not a workspace UUID`
      const acting = resolveActing(ctx, {
        explicit: input.source_workspace_id,
        peerId: target,
        selectorArg: 'source_workspace_id',
      })
      if (isResolutionError(acting)) return acting.error
      const { id: src, client } = acting
      if (target === src) {
        return `Error: cannot delegate to yourself (${src}); self-delegation would deadlock. Do the task directly.`
      }

      let peer = target.slice(0, 8)
      try {
        const found = await client.discover(target, { signal: ctx.signal })
        if (typeof found.name === 'string' && found.name) peer = found.name
      } catch (err) {
        const status = isPlatformError(err) ? err.status : undefined
        if (status === 503) return `Error: workspace ${target} is offline`
        if (status === 401 || status === 403 || status === 404 || status === 400) {
          return `Error: workspace ${target} not found or not accessible (check access control)`
        }
        return `Error: cannot look up workspace ${target}: ${describeFailure(err, client.platformUrl)}`
      }
      ctx.workspaces?.rememberPeer(target, src)

      // Activity rows go to the acting workspace, with its own token: never to another tenant's log.
      const started = Date.now()
      await bestEffort(ctx, 'activity report', () =>
        client.reportActivity({
          activityType: 'a2a_send',
          method: 'message/send',
          targetId: target,
          summary: `Delegating to ${peer}`.slice(0, 256),
          requestBody: { task },
        }),
      )

      let outcome: { ok: true; text: string } | { ok: false; detail: string } | { queued: string }
      if (options.syncViaDelegations) {
        const text = await delegateDurably(ctx, client, src, target, task, peer, options)
        return text
      }
      outcome = await sendWithRetry(ctx, client, target, task, options)
      if ('queued' in outcome) return outcome.queued.replaceAll('<peer>', peer)

      await bestEffort(ctx, 'activity report', () =>
        client.reportActivity({
          activityType: 'a2a_receive',
          method: 'message/send',
          targetId: target,
          durationMs: Date.now() - started,
          status: outcome.ok ? 'ok' : 'error',
          summary: (outcome.ok
            ? `${peer} responded (${outcome.text.length} chars)`
            : `${peer} failed: ${outcome.detail.slice(0, 120)}`
          ).slice(0, 256),
          ...(outcome.ok ? {} : { errorDetail: outcome.detail.slice(0, 4096) }),
        }),
      )
      return outcome.ok ? wrapPeerResult(outcome.text) : delegationFailed(peer, outcome.detail)
    },
  })

  const delegateTaskAsync = defineTool({
    name: 'delegate_task_async',
    description:
      'Hand a task to a peer through the platform and return at once with a delegation_id; check it later with check_task_status.',
    input: delegateInput,
    async run(ctx, input) {
      const target = input.workspace_id.trim().toLowerCase()
      if (!target || !input.task.trim()) return 'Error: workspace_id and task are required'
      const acting = resolveActing(ctx, {
        explicit: input.source_workspace_id,
        peerId: target,
        selectorArg: 'source_workspace_id',
      })
      if (isResolutionError(acting)) return acting.error
      if (target === acting.id) {
        return `Error: cannot delegate to yourself (${acting.id}); self-delegation would deadlock. Do the task directly.`
      }
      try {
        const res = await acting.client.delegate(
          {
            targetId: target,
            task: input.task,
            idempotencyKey: idempotencyKey(acting.id, target, input.task),
          },
          { signal: ctx.signal },
        )
        ctx.workspaces?.rememberPeer(target, acting.id)
        return JSON.stringify({
          delegation_id: res.delegation_id,
          workspace_id: target,
          status: 'delegated',
          note: `Running in the background. Call check_task_status(workspace_id="${target}", task_id="${res.delegation_id}") later; do not resend the task.`,
        })
      } catch (err) {
        if (isPlatformError(err) && err.status !== undefined) {
          return `Error: delegation failed with status ${err.status}: ${(err.serverError ?? err.bodyExcerpt ?? '').slice(0, 200)}`
        }
        return `Error: delegation failed — ${describeFailure(err, acting.client.platformUrl)}`
      }
    },
  })

  const checkTaskStatus = defineTool({
    name: 'check_task_status',
    description:
      'Status of delegations you started: pass task_id (a delegation_id) for one, or an empty task_id to list recent ones. queued = the peer is busy; the answer will come, do not resend.',
    input: z.object({
      // Both required, as in the upstream schema agents were written against; an empty task_id lists all.
      workspace_id: z
        .string()
        .describe('Target peer id (required by the contract; not used for the lookup).'),
      task_id: z.string().describe('The delegation_id returned by delegate_task_async; "" lists all.'),
      source_workspace_id: z.string().optional().describe('Which of your workspaces started the delegation.'),
    }),
    async run(ctx, input) {
      const acting = resolveActing(ctx, { explicit: input.source_workspace_id })
      if (isResolutionError(acting)) return acting.error
      let rows: DelegationRow[]
      try {
        rows = await acting.client.listDelegations({ signal: ctx.signal })
      } catch (err) {
        const status = isPlatformError(err) ? err.status : undefined
        return `Error: failed to check delegations (${status ?? describeFailure(err, acting.client.platformUrl)})`
      }
      const clean = (row: DelegationRow) => {
        const out: Record<string, unknown> = { ...row }
        if (typeof out.summary === 'string') out.summary = escapePeerMarkers(out.summary)
        if (typeof out.response_preview === 'string')
          out.response_preview = escapePeerMarkers(out.response_preview)
        return out
      }
      const taskId = input.task_id.trim()
      if (taskId) {
        // Newest first: the first match is the latest state of that delegation.
        const match = rows.find((r) => r.delegation_id === taskId)
        return JSON.stringify(match ? clean(match) : { status: 'not_found', delegation_id: taskId }, null, 2)
      }
      return JSON.stringify(
        {
          delegations: rows.slice(0, 10).map((r) => {
            const c = clean(r)
            return {
              delegation_id: c.delegation_id,
              target_id: c.target_id,
              status: c.status,
              summary: c.summary,
              response_preview: c.response_preview,
            }
          }),
          count: rows.length,
        },
        null,
        2,
      )
    },
  })

  return [delegateTask, delegateTaskAsync, checkTaskStatus] as Tool[]
}

async function sendWithRetry(
  ctx: ToolContext,
  client: PlatformClient,
  target: string,
  task: string,
  options: DelegationOptions,
): Promise<{ ok: true; text: string } | { ok: false; detail: string } | { queued: string }> {
  const body = {
    jsonrpc: '2.0',
    id: randomUUID(),
    method: 'message/send',
    params: { message: { role: 'user', messageId: randomUUID(), parts: [{ kind: 'text', text: task }] } },
  }
  let lastDetail = ''
  for (let attempt = 0; attempt < Math.max(1, options.a2aAttempts); attempt++) {
    if (attempt > 0) {
      const base = Math.min(options.a2aBackoffMs * 2 ** (attempt - 1), options.a2aBackoffMs * 16)
      await sleep(base * (0.75 + Math.random() * 0.5), ctx.signal)
      if (ctx.signal.aborted) break
    }
    try {
      const res = await client.sendA2A(target, body, { timeoutMs: options.a2aTimeoutMs, signal: ctx.signal })
      if (res.kind === 'queued-poll') {
        // The message is already in the peer's inbox; a /delegate fallback would deliver it a second time.
        return {
          queued: `Delivered to <peer> (${target}), a poll-mode workspace: the message is queued in its inbox. Its reply will arrive in your inbox as a new message from peer_id=${target} (wait_for_message / inbox_peek). Do not resend.`,
        }
      }
      if (res.kind === 'queued-busy') {
        return {
          queued: `<peer> (${target}) is busy; the platform queued the message (queue depth ${res.queueDepth ?? '?'}) and will deliver it when the peer is free. Do not resend.`,
        }
      }
      return classifyA2AReply(res.body)
    } catch (err) {
      const transport =
        isPlatformError(err) && (err.code === 'PLATFORM_UNREACHABLE' || err.code === 'PLATFORM_TIMEOUT')
      lastDetail = `${A2A_ERROR_PREFIX}${describeFailure(err, client.platformUrl)}`
      if (isPlatformError(err) && err.status !== undefined) {
        const server = err.serverError ? `: ${err.serverError}` : ''
        if (err.status === 403)
          return { ok: false, detail: `${A2A_ERROR_PREFIX}access denied (403)${server}` }
        if (err.status === 402)
          return { ok: false, detail: `${A2A_ERROR_PREFIX}budget exceeded (402)${server}` }
        return { ok: false, detail: `${A2A_ERROR_PREFIX}platform answered ${err.status}${server}` }
      }
      if (!transport || ctx.signal.aborted) break
    }
  }
  return { ok: false, detail: lastDetail || `${A2A_ERROR_PREFIX}cancelled` }
}
