import type { Logger } from '@molecule/core'
import { canCommunicate } from './hierarchy.js'
import { newId } from './ids.js'
import type { ResolvedOptions } from './options.js'
import type { PlatformState, QueueEntry } from './platform-state.js'
import { deliveryModeOf, type Workspace } from './workspace.js'

/** What the route sends back: status, JSON (or raw JSON text from the agent), extra headers. */
export interface ProxyResult {
  status: number
  body: unknown
  /** Agent's raw 2xx body, passed through byte for byte. */
  raw?: string
  headers?: Record<string, string>
}

type ForwardOutcome =
  | { kind: 'reply'; status: number; raw: string; json: unknown; durationMs: number }
  | { kind: 'agent-error'; status: number; message: string; durationMs: number }
  | { kind: 'busy'; error: string; durationMs: number }
  | { kind: 'unreachable'; error: string; durationMs: number }

const RESERVED_CALLER_PREFIXES = ['webhook:', 'system:', 'test:', 'channel:']
const MAX_QUEUE_ATTEMPTS = 5
const BUSY_MESSAGE = 'workspace agent busy — request queued, will dispatch when capacity available'

/** A JSON-RPC `message/send` carrying one user text part: what the platform itself sends to an agent. */
export function textMessageSend(text: string, messageId: string, metadata: Record<string, unknown>) {
  return {
    jsonrpc: '2.0',
    id: newId(),
    method: 'message/send',
    params: { message: { role: 'user', messageId, parts: [{ kind: 'text', text }], metadata } },
  }
}

/** A2A body normalisation of the upstream proxy: JSON-RPC envelope and a `messageId` on the message. */
export function normaliseA2aBody(parsed: unknown): Record<string, unknown> {
  const source = parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed) ? parsed : {}
  const record = source as Record<string, unknown>
  const body: Record<string, unknown> =
    'jsonrpc' in record
      ? { ...record }
      : { jsonrpc: '2.0', id: newId(), method: record.method, params: record.params ?? null }
  const params = body.params as Record<string, unknown> | null | undefined
  const message = params?.message as Record<string, unknown> | undefined
  if (message && typeof message === 'object' && !message.messageId) {
    body.params = { ...params, message: { ...message, messageId: newId() } }
  }
  return body
}

function agentErrorText(raw: string, fallback: string): string {
  try {
    const parsed = JSON.parse(raw) as { error?: unknown }
    if (typeof parsed?.error === 'string' && parsed.error) return parsed.error
  } catch {
    // not JSON: fall back to the reason phrase
  }
  return fallback
}

function isBusyFailure(error: unknown): boolean {
  const err = error as { name?: string; cause?: { code?: string } }
  if (err?.name === 'TimeoutError' || err?.name === 'AbortError') return true
  const code = err?.cause?.code
  return code === 'ECONNRESET' || code === 'UND_ERR_SOCKET' || code === 'EPIPE'
}

function safeJson(raw: string): unknown {
  try {
    return JSON.parse(raw)
  } catch {
    return raw
  }
}

/** Forwards A2A calls to workspaces (push), parks them as inbox rows (poll), and runs the busy queue. */
export class A2aProxy {
  constructor(
    private readonly state: PlatformState,
    private readonly options: ResolvedOptions,
    private readonly logger: Logger,
  ) {}

  /**
   * The proxy algorithm of the upstream platform (caller auth already checked by the route).
   * `callerId` null = the canvas / a human user.
   */
  async dispatch(
    targetId: string,
    callerId: string | null,
    parsedBody: unknown,
    {
      bypassHierarchy = false,
      traceHeaders,
    }: {
      bypassHierarchy?: boolean
      /** W3C `traceparent` / `tracestate` of the caller's request, forwarded to the agent as they came. */
      traceHeaders?: Record<string, string>
    } = {},
  ): Promise<ProxyResult> {
    if (callerId && RESERVED_CALLER_PREFIXES.some((prefix) => callerId.startsWith(prefix))) {
      return { status: 403, body: { error: 'invalid caller ID' } }
    }
    const lookup = (id: string) => this.state.get(id)
    if (
      callerId &&
      callerId !== targetId &&
      !bypassHierarchy &&
      !canCommunicate(lookup, callerId, targetId)
    ) {
      return {
        status: 403,
        body: { error: 'access denied: workspaces cannot communicate per hierarchy rules' },
      }
    }
    const target = this.state.get(targetId)
    if (!target || target.status === 'removed') return { status: 404, body: { error: 'workspace not found' } }
    if (target.budget_limit !== null && target.monthly_spend >= target.budget_limit) {
      return { status: 402, body: { error: 'workspace budget limit exceeded' } }
    }
    const body = normaliseA2aBody(parsedBody)
    const method = typeof body.method === 'string' ? body.method : ''

    if (deliveryModeOf(target) === 'poll') {
      this.state.recordActivity({
        workspace_id: target.id,
        activity_type: 'a2a_receive',
        source_id: callerId,
        target_id: target.id,
        method,
        summary: `${method} → ${target.name} (queued for poll)`,
        request_body: body,
      })
      return { status: 200, body: { status: 'queued', delivery_mode: 'poll', method } }
    }
    if (!target.url) return { status: 503, body: { error: 'workspace has no URL', status: target.status } }
    if (!/^https?:\/\//i.test(target.url)) {
      return { status: 502, body: { error: 'workspace URL is not publicly routable' } }
    }

    const outcome = await this.forward(target, body, traceHeaders)
    if (outcome.kind === 'busy') {
      if (target.capabilities.session) {
        return this.busy503({ native_session: true })
      }
      const { entry, depth } = this.enqueue(target, callerId, body, method)
      this.logger.info({ workspaceId: target.id, queueId: entry.id }, 'agent busy: request queued')
      return {
        status: 202,
        body: { queued: true, queue_id: entry.id, queue_depth: depth, message: BUSY_MESSAGE },
      }
    }
    this.logExchange(target, callerId, body, method, outcome)
    return this.answer(target, callerId, method, outcome)
  }

  private busy503(extra: Record<string, unknown> = {}): ProxyResult {
    const seconds = this.options.busyRetryAfterSeconds
    return {
      status: 503,
      headers: { 'Retry-After': String(seconds) },
      body: { error: 'workspace agent busy — retry later', busy: true, retry_after: seconds, ...extra },
    }
  }

  private answer(
    target: Workspace,
    callerId: string | null,
    method: string,
    outcome: ForwardOutcome,
  ): ProxyResult {
    switch (outcome.kind) {
      case 'unreachable':
        return { status: 502, body: { error: 'failed to reach workspace agent' } }
      case 'agent-error':
        return { status: outcome.status, body: { error: outcome.message } }
      case 'reply': {
        if (callerId) {
          const caller = this.state.get(callerId)
          if (caller) caller.last_outbound_at = this.state.now()
        } else {
          this.state.events.emit(
            'A2A_RESPONSE',
            target.id,
            { response_body: outcome.json, method, duration_ms: outcome.durationMs },
            false,
          )
        }
        return { status: outcome.status, body: outcome.json, raw: outcome.raw }
      }
      default:
        return this.busy503()
    }
  }

  private logExchange(
    target: Workspace,
    callerId: string | null,
    body: Record<string, unknown>,
    method: string,
    outcome: ForwardOutcome,
  ): void {
    const ok = outcome.kind === 'reply'
    const json = ok ? outcome.json : null
    const toolTrace = (json as { result?: { metadata?: { tool_trace?: unknown } } } | null)?.result?.metadata
      ?.tool_trace
    this.state.recordActivity({
      workspace_id: target.id,
      activity_type: 'a2a_receive',
      source_id: callerId,
      target_id: target.id,
      method,
      summary: `${method} → ${target.name}`,
      request_body: body,
      response_body: json,
      tool_trace: toolTrace ?? null,
      duration_ms: outcome.durationMs,
      status: ok ? 'ok' : 'error',
      error_detail: ok ? null : outcome.kind === 'agent-error' ? outcome.message : outcome.error,
    })
  }

  /**
   * POSTs to the agent. The timeout is an *idle* timeout, as upstream: any event of the target (a heartbeat,
   * an activity row…) restarts it, so a long task of an agent that keeps heart-beating is never cut off.
   */
  private async forward(
    target: Workspace,
    body: Record<string, unknown>,
    traceHeaders: Record<string, string> = {},
  ): Promise<ForwardOutcome> {
    const started = performance.now()
    const elapsed = () => Math.round(performance.now() - started)
    const controller = new AbortController()
    const idle = () =>
      setTimeout(() => {
        const reason = new Error(`no activity from workspace for ${this.options.proxyTimeoutMs} ms`)
        reason.name = 'TimeoutError'
        controller.abort(reason)
      }, this.options.proxyTimeoutMs)
    let timer = idle()
    const unsubscribe = this.state.events.subscribe((event) => {
      if (event.workspaceId !== target.id) return
      clearTimeout(timer)
      timer = idle()
    })
    let response: Response
    let raw: string
    try {
      response = await fetch(target.url, {
        method: 'POST',
        headers: { ...traceHeaders, 'Content-Type': 'application/json' },
        body: JSON.stringify(body),
        signal: controller.signal,
      })
      raw = await response.text()
    } catch (error) {
      const message = (error as Error).message
      if (isBusyFailure(error)) return { kind: 'busy', error: message, durationMs: elapsed() }
      this.logger.warn({ workspaceId: target.id, err: message }, 'failed to reach workspace agent')
      return { kind: 'unreachable', error: message, durationMs: elapsed() }
    } finally {
      clearTimeout(timer)
      unsubscribe()
    }
    if (response.status >= 300) {
      const message = agentErrorText(raw, response.statusText || `HTTP ${response.status}`)
      return { kind: 'agent-error', status: response.status, message, durationMs: elapsed() }
    }
    return { kind: 'reply', status: response.status, raw, json: safeJson(raw), durationMs: elapsed() }
  }

  private enqueue(
    target: Workspace,
    callerId: string | null,
    body: Record<string, unknown>,
    method: string,
  ): { entry: QueueEntry; depth: number } {
    const message = (body.params as { message?: { messageId?: unknown } } | null)?.message
    const key = typeof message?.messageId === 'string' ? message.messageId : null
    const pending = this.state.queue.filter(
      (e) => e.workspace_id === target.id && (e.status === 'queued' || e.status === 'dispatched'),
    )
    const existing = key ? pending.find((e) => e.idempotency_key === key) : undefined
    if (existing) return { entry: existing, depth: pending.length }
    const entry: QueueEntry = {
      id: newId(),
      workspace_id: target.id,
      caller_id: callerId,
      body,
      method,
      idempotency_key: key,
      status: 'queued',
      attempts: 0,
      last_error: null,
      enqueued_at: this.state.now(),
    }
    this.state.queue.push(entry)
    return { entry, depth: pending.length + 1 }
  }

  /**
   * Dispatches the oldest queued request of a workspace (called when a heartbeat reports spare capacity).
   * A reply completes the entry and, for platform delegations, completes the delegation too. At most one drain
   * per workspace runs at a time; a call during one resolves with that drain's entry.
   */
  drainOne(targetId: string): Promise<QueueEntry | undefined> {
    // Serialised per workspace: a heartbeat that arrives while a drain is running joins it instead of
    // dispatching a second queued request on top (the one in flight already uses the spare capacity).
    const running = this.draining.get(targetId)
    if (running) return running
    const drain = this.drainNext(targetId).finally(() => {
      if (this.draining.get(targetId) === drain) this.draining.delete(targetId)
    })
    this.draining.set(targetId, drain)
    return drain
  }

  private readonly draining = new Map<string, Promise<QueueEntry | undefined>>()

  private async drainNext(targetId: string): Promise<QueueEntry | undefined> {
    const entry = this.state.queue.find((e) => e.workspace_id === targetId && e.status === 'queued')
    const target = this.state.get(targetId)
    if (!entry || !target?.url || target.status === 'removed') return undefined
    entry.status = 'dispatched'
    entry.attempts++
    const outcome = await this.forward(target, entry.body)
    if (outcome.kind === 'reply') {
      entry.status = 'completed'
      this.logExchange(target, entry.caller_id, entry.body, entry.method, outcome)
      this.onDrained?.(entry, outcome.json)
      return entry
    }
    entry.last_error = outcome.kind === 'agent-error' ? outcome.message : outcome.error
    entry.status = entry.attempts >= MAX_QUEUE_ATTEMPTS ? 'failed' : 'queued'
    if (entry.status === 'failed')
      this.logExchange(target, entry.caller_id, entry.body, entry.method, outcome)
    return entry
  }

  /** Set by the delegation runner to stitch drained replies into delegation rows. */
  onDrained: ((entry: QueueEntry, reply: unknown) => void) | undefined
}
