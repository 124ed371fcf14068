import { newId } from './ids.js'
import type { PlatformState } from './platform-state.js'
import type { DeliveryMode, Workspace } from './workspace.js'

/** Input of `POST /workspaces` (snake_case, as on the wire) and of `RunningDevPlatform.createWorkspace`. */
export interface CreateWorkspaceInput {
  /** Extension: choose the UUID (tests like stable ids). Default: a fresh UUID. */
  id?: string
  name: string
  role?: string
  tier?: number
  runtime?: string
  external?: boolean
  url?: string
  parent_id?: string | null
  delivery_mode?: DeliveryMode
  max_concurrent_tasks?: number
  budget_limit?: number | null
  workspace_dir?: string
  /** Helper only: also mint a token and return it (HTTP callers use `POST /workspaces/:id/tokens`). */
  mint_token?: boolean
}

export interface CreatedWorkspace {
  workspace: Workspace
  /** Plaintext token when one was minted (external without URL, or `mint_token`). */
  token?: string
}

/** Creates a workspace row the way the upstream create handler does (minus Docker provisioning). */
export function createWorkspaceRecord(state: PlatformState, input: CreateWorkspaceInput): CreatedWorkspace {
  const external = input.external === true || input.runtime === 'external'
  const ws = state.add({
    id: input.id ?? newId(),
    name: input.name,
    role: input.role ?? null,
    tier: input.tier || 3,
    status: 'provisioning',
    url: input.url ?? '',
    parent_id: input.parent_id ?? null,
    runtime: input.runtime ?? (external ? 'external' : 'langgraph'),
    external,
    ...(input.delivery_mode ? { delivery_mode: input.delivery_mode } : {}),
    max_concurrent_tasks: input.max_concurrent_tasks ?? 1,
    budget_limit: input.budget_limit ?? null,
    workspace_dir: input.workspace_dir ?? null,
  })
  state.events.emit('WORKSPACE_PROVISIONING', ws.id, { name: ws.name, tier: ws.tier, runtime: ws.runtime })
  let token: string | undefined
  if (external && ws.url) {
    state.setStatus(ws, 'online', { name: ws.name, external: true })
  } else if (external) {
    state.setStatus(ws, 'awaiting_agent', { name: ws.name, external: true })
    token = state.tokens.mint(ws.id).token
  }
  if (input.mint_token && token === undefined) token = state.tokens.mint(ws.id).token
  return token === undefined ? { workspace: ws } : { workspace: ws, token }
}
