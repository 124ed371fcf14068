import type { InboxMessage } from '@molecule/platform-client'

const SAFE_DISPLAY = /[^A-Za-z0-9 _.\-/+:@()]/g

/** Registry names are chosen by other tenants and land in the agent's context: keep a safe charset, cap length. */
export function sanitiseDisplay(value: string): string {
  const clean = value.replace(SAFE_DISPLAY, ' ').replace(/\s+/g, ' ').trim()
  return clean.length > 64 ? `${clean.slice(0, 63)}…` : clean
}

/** The envelope handed to the agent: display strings sanitised, arrival workspace stamped in multi mode. */
export function presentMessage(message: InboxMessage, arrivalWorkspaceId: string | undefined): InboxMessage {
  const out: InboxMessage = { ...message }
  if (out.peer_name) out.peer_name = sanitiseDisplay(out.peer_name)
  if (out.peer_role) out.peer_role = sanitiseDisplay(out.peer_role)
  if (arrivalWorkspaceId) out.arrival_workspace_id = arrivalWorkspaceId
  else delete out.arrival_workspace_id
  return out
}
