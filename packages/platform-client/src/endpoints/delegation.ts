import { createHash } from 'node:crypto'
import { z } from 'zod'
import { type Endpoint, endpoint, listOf, route } from '../endpoint.js'
import type { PlatformResponse } from '../platform-http.js'
import {
  A2AQueuedBusySchema,
  A2AQueuedPollSchema,
  type DelegateResponse,
  DelegateResponseSchema,
  type DelegationRow,
  DelegationRowSchema,
  type RecordDelegationResponse,
  RecordDelegationResponseSchema,
  type UpdateDelegationResponse,
  UpdateDelegationResponseSchema,
} from '../schemas.js'
import type { DelegateInput, RecordDelegationInput, UpdateDelegationInput } from '../types.js'

// Talking to peers: the A2A proxy and the platform's delegation records. None of these writes is retried: a repeat
// could deliver a task twice.

/**
 * Outcome of `POST /workspaces/:id/a2a`: the target's JSON-RPC reply, or a note that the platform queued the
 * message (target busy: 202 with a queue id; target in poll delivery mode: it reads the message from its inbox).
 */
export type A2AResult =
  | { kind: 'reply'; status: number; body: unknown }
  | { kind: 'queued-busy'; status: 202; queueId: string; queueDepth: number | undefined; body: unknown }
  | { kind: 'queued-poll'; status: number; method: string | undefined; body: unknown }

/** First 32 hex chars of sha256(`target:task`): the delegation idempotency key existing clients send. */
export function delegationIdempotencyKey(targetId: string, task: string): string {
  return createHash('sha256').update(`${targetId}:${task}`).digest('hex').slice(0, 32)
}

/**
 * `POST /workspaces/:targetId/a2a` as `sourceId`. `X-Source-Workspace-Id` names the caller for platforms and bridges
 * that read it there; `X-Timeout` (whole seconds) tells the proxy how long this caller waits.
 */
export function sendA2A(
  sourceId: string,
  targetId: string,
  jsonRpcBody: unknown,
  timeoutMs: number | undefined,
): Endpoint<unknown, A2AResult> {
  const headers: Record<string, string> = { 'X-Source-Workspace-Id': sourceId }
  if (timeoutMs !== undefined) headers['X-Timeout'] = String(Math.max(1, Math.ceil(timeoutMs / 1000)))
  return {
    ...endpoint('POST', route('/workspaces/:targetId/a2a', { targetId }), z.unknown(), {
      json: jsonRpcBody,
      headers,
    }),
    read: classifyA2AAnswer,
  }
}

function classifyA2AAnswer(res: PlatformResponse<unknown>): A2AResult {
  const busy = res.status === 202 ? A2AQueuedBusySchema.safeParse(res.data) : undefined
  if (busy?.success) {
    return {
      kind: 'queued-busy',
      status: 202,
      queueId: busy.data.queue_id,
      queueDepth: busy.data.queue_depth ?? undefined,
      body: res.data,
    }
  }
  const poll = A2AQueuedPollSchema.safeParse(res.data)
  if (poll.success) {
    return { kind: 'queued-poll', status: res.status, method: poll.data.method ?? undefined, body: res.data }
  }
  return { kind: 'reply', status: res.status, body: res.data }
}

/** `POST /workspaces/:id/delegate`: the key defaults to {@link delegationIdempotencyKey}. */
export function delegate(workspaceId: string, input: DelegateInput): Endpoint<DelegateResponse> {
  return endpoint('POST', route('/workspaces/:id/delegate', { id: workspaceId }), DelegateResponseSchema, {
    json: {
      target_id: input.targetId,
      task: input.task,
      idempotency_key: input.idempotencyKey ?? delegationIdempotencyKey(input.targetId, input.task),
    },
  })
}

/** `GET /workspaces/:id/delegations`. */
export function listDelegations(workspaceId: string): Endpoint<DelegationRow[]> {
  return endpoint(
    'GET',
    route('/workspaces/:id/delegations', { id: workspaceId }),
    listOf(DelegationRowSchema),
  )
}

/** `POST /workspaces/:id/delegations/record`. */
export function recordDelegation(
  workspaceId: string,
  input: RecordDelegationInput,
): Endpoint<RecordDelegationResponse> {
  return endpoint(
    'POST',
    route('/workspaces/:id/delegations/record', { id: workspaceId }),
    RecordDelegationResponseSchema,
    { json: { target_id: input.targetId, task: input.task, delegation_id: input.delegationId } },
  )
}

/** `POST /workspaces/:id/delegations/:delegationId/update`: optional fields are left out, not sent empty. */
export function updateDelegation(
  workspaceId: string,
  delegationId: string,
  input: UpdateDelegationInput,
): Endpoint<UpdateDelegationResponse> {
  const json: Record<string, unknown> = { status: input.status }
  if (input.error !== undefined) json.error = input.error
  if (input.responsePreview !== undefined) json.response_preview = input.responsePreview
  return endpoint(
    'POST',
    route('/workspaces/:id/delegations/:delegationId/update', { id: workspaceId, delegationId }),
    UpdateDelegationResponseSchema,
    { json },
  )
}
