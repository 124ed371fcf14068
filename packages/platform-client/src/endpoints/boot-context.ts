import { type Endpoint, endpoint, listOf, route } from '../endpoint.js'
import {
  type Instructions,
  InstructionsSchema,
  type SharedContextFile,
  SharedContextFileSchema,
} from '../schemas.js'

// What an agent reads once at start-up to build its system prompt.

/** `GET /workspaces/:id/instructions/resolve`: the operator's rules for this workspace. */
export function resolveInstructions(workspaceId: string): Endpoint<Instructions> {
  return endpoint(
    'GET',
    route('/workspaces/:id/instructions/resolve', { id: workspaceId }),
    InstructionsSchema,
  )
}

/** `GET /workspaces/:parentId/shared-context`: files a parent shares with its team. */
export function getSharedContext(parentId: string): Endpoint<SharedContextFile[]> {
  return endpoint(
    'GET',
    route('/workspaces/:parentId/shared-context', { parentId }),
    listOf(SharedContextFileSchema),
  )
}
