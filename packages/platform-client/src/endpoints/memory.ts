import { type Endpoint, endpoint, listOf, route } from '../endpoint.js'
import {
  type Memory,
  type MemoryCommitResponse,
  MemoryCommitResponseSchema,
  MemorySchema,
  type StatusResponse,
  StatusResponseSchema,
} from '../schemas.js'
import type { CommitMemoryInput, SearchMemoriesQuery } from '../types.js'

// Agent memories. Commits and deletes are not retried: a repeated commit would store the memory twice.

/** `POST /workspaces/:id/memories`: `namespace` only when given. */
export function commitMemory(workspaceId: string, input: CommitMemoryInput): Endpoint<MemoryCommitResponse> {
  return endpoint(
    'POST',
    route('/workspaces/:id/memories', { id: workspaceId }),
    MemoryCommitResponseSchema,
    {
      json: {
        content: input.content,
        scope: input.scope,
        ...(input.namespace ? { namespace: input.namespace } : {}),
      },
    },
  )
}

/** `GET /workspaces/:id/memories?scope=&q=&namespace=&limit=`. */
export function searchMemories(workspaceId: string, query: SearchMemoriesQuery): Endpoint<Memory[]> {
  return endpoint('GET', route('/workspaces/:id/memories', { id: workspaceId }), listOf(MemorySchema), {
    query: { scope: query.scope, q: query.q, namespace: query.namespace, limit: query.limit },
  })
}

/** `DELETE /workspaces/:id/memories/:memoryId`. */
export function deleteMemory(workspaceId: string, memoryId: string): Endpoint<StatusResponse> {
  return endpoint(
    'DELETE',
    route('/workspaces/:id/memories/:memoryId', { id: workspaceId, memoryId }),
    StatusResponseSchema,
  )
}
