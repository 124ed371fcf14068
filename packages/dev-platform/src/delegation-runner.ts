import type { Logger } from '@molecule/core'
import { type A2aProxy, type ProxyResult, textMessageSend } from './a2a-proxy.js'
import type { ActivityRow } from './activity-log.js'
import { newId } from './ids.js'
import type { ResolvedOptions } from './options.js'
import type { PlatformState, QueueEntry } from './platform-state.js'
import { preview, replyText } from './reply-text.js'

export interface DelegateResult {
  delegation_id: string
  status: string
  target_id: string
  idempotent_hit?: true
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/**
 * Platform-managed delegations (`POST /workspaces/:id/delegate`) and agent-reported ones
 * (`POST /workspaces/:id/delegations/record`, then `…/delegations/:delegationId/update`). Both live as activity rows of type
 * `delegation` on the source workspace: one `delegate` request row plus `delegate_result` outcome rows.
 */
export class DelegationRunner {
  /** Background dispatches, so `close()` can wait for them. */
  readonly inFlight = new Set<Promise<void>>()

  constructor(
    private readonly state: PlatformState,
    private readonly proxy: A2aProxy,
    private readonly options: ResolvedOptions,
    private readonly logger: Logger,
  ) {
    proxy.onDrained = (entry, reply) => this.stitchDrained(entry, reply)
  }

  private requestRow(sourceId: string, delegationId: string): ActivityRow | undefined {
    return this.state.activity.rows.find(
      (row) =>
        row.workspace_id === sourceId &&
        row.activity_type === 'delegation' &&
        row.method === 'delegate' &&
        row.delegation_id === delegationId,
    )
  }

  private addResult(
    sourceId: string,
    targetId: string | null,
    delegationId: string,
    status: string,
    summary: string,
    responseBody: unknown,
    errorDetail: string | null = null,
  ): ActivityRow {
    return this.state.recordActivity({
      workspace_id: sourceId,
      activity_type: 'delegation',
      method: 'delegate_result',
      source_id: sourceId,
      target_id: targetId,
      delegation_id: delegationId,
      summary,
      status,
      response_body: responseBody,
      error_detail: errorDetail,
    })
  }

  /** `POST /workspaces/:id/delegate`: records the request, answers at once, dispatches in the background. */
  delegate(
    sourceId: string,
    targetId: string,
    task: string,
    idempotencyKey: string | undefined,
  ): DelegateResult {
    if (idempotencyKey) {
      const rows = this.state.activity.rows
      const previous = rows.find(
        (row) =>
          row.workspace_id === sourceId &&
          row.method === 'delegate' &&
          row.idempotency_key === idempotencyKey,
      )
      if (previous && previous.status !== 'failed') {
        return {
          delegation_id: previous.delegation_id as string,
          status: previous.status,
          target_id: targetId,
          idempotent_hit: true,
        }
      }
      if (previous) rows.splice(rows.indexOf(previous), 1)
    }
    const delegationId = newId()
    this.recordDelegationRow(sourceId, targetId, task, delegationId, 'pending', idempotencyKey)
    this.state.events.emit('DELEGATION_SENT', sourceId, {
      delegation_id: delegationId,
      target_id: targetId,
      task_preview: task.slice(0, 100),
    })
    const run = this.run(sourceId, targetId, task, delegationId).catch((err: unknown) =>
      this.logger.error({ err, delegationId }, 'delegation dispatch crashed'),
    )
    this.inFlight.add(run)
    void run.finally(() => this.inFlight.delete(run))
    return { delegation_id: delegationId, status: 'delegated', target_id: targetId }
  }

  private async run(sourceId: string, targetId: string, task: string, delegationId: string): Promise<void> {
    const request = this.requestRow(sourceId, delegationId)
    if (request) request.status = 'dispatched'
    this.state.events.emit('DELEGATION_STATUS', sourceId, {
      delegation_id: delegationId,
      target_id: targetId,
      status: 'dispatched',
    })
    const body = textMessageSend(task, delegationId, {
      delegation_id: delegationId,
      source_workspace_id: sourceId,
    })
    let result = await this.proxy.dispatch(targetId, sourceId, body)
    if (
      result.status === 502 ||
      (result.status === 503 && (result.body as { restarting?: boolean }).restarting)
    ) {
      await sleep(this.options.delegationRetryDelayMs)
      result = await this.proxy.dispatch(targetId, sourceId, body)
    }
    this.settle(sourceId, targetId, delegationId, result)
  }

  private settle(sourceId: string, targetId: string, delegationId: string, result: ProxyResult): void {
    const request = this.requestRow(sourceId, delegationId)
    const body = result.body as Record<string, unknown> | null
    const queued = (result.status === 202 && body?.queued === true) || body?.status === 'queued'
    if (queued) {
      if (request) request.status = 'queued'
      this.addResult(sourceId, targetId, delegationId, 'queued', 'Delegation queued', {
        delegation_id: delegationId,
        queued: true,
      })
      this.state.events.emit('DELEGATION_STATUS', sourceId, {
        delegation_id: delegationId,
        target_id: targetId,
        status: 'queued',
      })
      return
    }
    if (result.status >= 200 && result.status < 300) {
      const text = replyText(body) ?? result.raw ?? JSON.stringify(body)
      if (request) request.status = 'completed'
      this.addResult(
        sourceId,
        targetId,
        delegationId,
        'completed',
        `Delegation completed (${preview(text, 80)})`,
        {
          text,
          delegation_id: delegationId,
        },
      )
      this.state.events.emit('DELEGATION_COMPLETE', sourceId, {
        delegation_id: delegationId,
        target_id: targetId,
        response_preview: preview(text, 200),
      })
      return
    }
    const error = typeof body?.error === 'string' ? body.error : `HTTP ${result.status}`
    if (request) {
      request.status = 'failed'
      request.error_detail = error
    }
    this.addResult(sourceId, targetId, delegationId, 'failed', `Delegation failed: ${error}`, null, error)
    this.state.events.emit('DELEGATION_FAILED', sourceId, {
      delegation_id: delegationId,
      target_id: targetId,
      error,
    })
  }

  /** A queued delegation finally answered by a queue drain: complete its rows. */
  private stitchDrained(entry: QueueEntry, reply: unknown): void {
    const message = (entry.body.params as { message?: { metadata?: { delegation_id?: unknown } } } | null)
      ?.message
    const delegationId = message?.metadata?.delegation_id
    if (typeof delegationId !== 'string' || !entry.caller_id) return
    const request = this.requestRow(entry.caller_id, delegationId)
    if (!request) return
    const text = replyText(reply) ?? JSON.stringify(reply)
    request.status = 'completed'
    const queuedRow = this.state.activity.rows.find(
      (row) =>
        row.method === 'delegate_result' && row.delegation_id === delegationId && row.status === 'queued',
    )
    if (queuedRow) {
      queuedRow.status = 'completed'
      queuedRow.summary = `Delegation completed (${preview(text, 80)})`
      queuedRow.response_body = { text, delegation_id: delegationId }
    }
    this.state.events.emit('DELEGATION_COMPLETE', entry.caller_id, {
      delegation_id: delegationId,
      target_id: entry.workspace_id,
      response_preview: preview(text, 200),
      via: 'queue_drain',
    })
  }

  /** `POST /workspaces/:id/delegations/record`: a delegation the agent sends itself (direct A2A). */
  record(sourceId: string, targetId: string, task: string, delegationId: string): void {
    this.recordDelegationRow(sourceId, targetId, task, delegationId, 'dispatched')
    this.state.events.emit('DELEGATION_SENT', sourceId, {
      delegation_id: delegationId,
      target_id: targetId,
      task_preview: task.slice(0, 100),
    })
  }

  /** The source's `delegation` activity row, shared by platform-run and agent-run delegations. */
  private recordDelegationRow(
    sourceId: string,
    targetId: string,
    task: string,
    delegationId: string,
    status: 'pending' | 'dispatched',
    idempotencyKey?: string,
  ): void {
    this.state.recordActivity({
      workspace_id: sourceId,
      activity_type: 'delegation',
      method: 'delegate',
      source_id: sourceId,
      target_id: targetId,
      summary: `Delegating to ${this.state.get(targetId)?.name ?? targetId}`,
      status,
      request_body: { task, delegation_id: delegationId },
      delegation_id: delegationId,
      ...(idempotencyKey ? { idempotency_key: idempotencyKey } : {}),
    })
  }

  /** `POST /workspaces/:id/delegations/:delegationId/update`: the agent reports how its own delegation ended. */
  update(
    sourceId: string,
    delegationId: string,
    status: 'completed' | 'failed',
    error: string,
    responsePreview: string,
  ) {
    const request = this.requestRow(sourceId, delegationId)
    if (request) request.status = status
    if (status === 'completed') {
      this.addResult(
        sourceId,
        null,
        delegationId,
        'completed',
        `Delegation completed (${preview(responsePreview, 80)})`,
        {
          text: responsePreview,
          delegation_id: delegationId,
        },
      )
      this.state.events.emit('DELEGATION_COMPLETE', sourceId, {
        delegation_id: delegationId,
        response_preview: preview(responsePreview, 200),
      })
      return
    }
    if (request) request.error_detail = error
    this.addResult(sourceId, null, delegationId, 'failed', `Delegation failed: ${error}`, null, error || null)
    this.state.events.emit('DELEGATION_FAILED', sourceId, { delegation_id: delegationId, error })
  }

  /** Waits for background dispatches (used by `close()`). */
  async settled(): Promise<void> {
    await Promise.allSettled([...this.inFlight])
  }
}
