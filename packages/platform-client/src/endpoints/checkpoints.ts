import { z } from 'zod'
import { type Endpoint, endpoint, parseAs, route } from '../endpoint.js'
import { type Checkpoint, CheckpointSchema } from '../schemas.js'
import type { SaveCheckpointInput } from '../types.js'

// Workflow checkpoints, so a restarted agent can resume. Saving is an upsert of one step: safe to retry.

/** `POST /workspaces/:id/checkpoints`: `step_index` and `payload` only when given. */
export function saveCheckpoint(
  workspaceId: string,
  input: SaveCheckpointInput,
): Endpoint<Record<string, unknown>> {
  return endpoint(
    'POST',
    route('/workspaces/:id/checkpoints', { id: workspaceId }),
    z.record(z.string(), z.unknown()),
    {
      json: {
        workflow_id: input.workflowId,
        step_name: input.stepName,
        ...(input.stepIndex !== undefined ? { step_index: input.stepIndex } : {}),
        ...(input.payload !== undefined ? { payload: input.payload } : {}),
      },
      idempotent: true,
    },
  )
}

/** `GET /workspaces/:id/checkpoints/latest`: a 404 means there is none yet and reads as `null`. */
export function latestCheckpoint(workspaceId: string): Endpoint<unknown, Checkpoint | null> {
  const path = route('/workspaces/:id/checkpoints/latest', { id: workspaceId })
  return {
    ...endpoint('GET', path, z.unknown(), { acceptStatuses: [404] }),
    read: (res) => (res.status === 404 ? null : parseAs(CheckpointSchema, res, `GET ${path}`)),
  }
}
