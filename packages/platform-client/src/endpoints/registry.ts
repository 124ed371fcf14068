import { type Endpoint, endpoint, listOf, route } from '../endpoint.js'
import {
  type DiscoverResponse,
  DiscoverResponseSchema,
  type HeartbeatResponse,
  HeartbeatResponseSchema,
  type Peer,
  PeerSchema,
  type RegisterResponse,
  RegisterResponseSchema,
  type StatusResponse,
  StatusResponseSchema,
  type Workspace,
  WorkspaceSchema,
  type WorkspaceState,
  WorkspaceStateSchema,
} from '../schemas.js'
import type { AgentCard, HeartbeatBody, RegisterBody } from '../types.js'

// Registration, liveness and the workspace reads. The registry writes are safe to repeat, so they are retried.

/** `POST /registry/register`: the body as given, plus this workspace's `id`. */
export function register(workspaceId: string, body: RegisterBody): Endpoint<RegisterResponse> {
  return endpoint('POST', '/registry/register', RegisterResponseSchema, {
    json: { ...body, id: workspaceId },
    idempotent: true,
  })
}

/** `POST /registry/heartbeat`: the body as given, plus `workspace_id`. */
export function heartbeat(workspaceId: string, body: HeartbeatBody): Endpoint<HeartbeatResponse> {
  return endpoint('POST', '/registry/heartbeat', HeartbeatResponseSchema, {
    json: { ...body, workspace_id: workspaceId },
    idempotent: true,
  })
}

/** `POST /registry/update-card`: replaces the stored agent card. */
export function updateCard(workspaceId: string, card: AgentCard): Endpoint<StatusResponse> {
  return endpoint('POST', '/registry/update-card', StatusResponseSchema, {
    json: { workspace_id: workspaceId, agent_card: card },
    idempotent: true,
  })
}

/** `GET /registry/discover/:targetId`. */
export function discover(targetId: string): Endpoint<DiscoverResponse> {
  return endpoint('GET', route('/registry/discover/:targetId', { targetId }), DiscoverResponseSchema)
}

/** `GET /registry/:id/peers?q=`. */
export function listPeers(workspaceId: string, q: string | undefined): Endpoint<Peer[]> {
  return endpoint('GET', route('/registry/:id/peers', { id: workspaceId }), listOf(PeerSchema), {
    query: { q },
  })
}

/** `GET /workspaces/:id`. */
export function getWorkspace(id: string): Endpoint<Workspace> {
  return endpoint('GET', route('/workspaces/:id', { id }), WorkspaceSchema)
}

/** `GET /workspaces/:id/state`: a 404 (workspace deleted) is an answer, not a failure, and keeps its status. */
export function getState(
  workspaceId: string,
): Endpoint<WorkspaceState, WorkspaceState & { httpStatus: number }> {
  return {
    ...endpoint('GET', route('/workspaces/:id/state', { id: workspaceId }), WorkspaceStateSchema, {
      acceptStatuses: [404],
    }),
    read: (res) => ({ ...res.data, httpStatus: res.status }),
  }
}
