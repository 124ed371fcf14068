import type { InboxMessage } from '@molecule/platform-client'

export const CHANNEL_METHOD = 'notifications/claude/channel'

/** Push is on with MOLECULE_MCP_PUSH=1, off with 0, and by default only when the host looks like Claude Code. */
export function pushEnabled(env: Record<string, string | undefined>): boolean {
  const flag = env.MOLECULE_MCP_PUSH?.trim().toLowerCase()
  if (flag === '1' || flag === 'true' || flag === 'on') return true
  if (flag === '0' || flag === 'false' || flag === 'off') return false
  return Boolean(env.CLAUDECODE || env.CLAUDE_CODE || env.CLAUDE_CODE_VERSION || env.CLAUDE_CODE_ENTRYPOINT)
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/
const METHODS = new Set(['message/send', 'tasks/send', 'tasks/get', 'notify', 'delegate_result', ''])

/** The `notifications/claude/channel` params for one message; every meta value is checked before it is sent. */
export function channelParams(message: InboxMessage): { content: string; meta: Record<string, string> } {
  const peer = message.peer_id && UUID.test(message.peer_id) ? message.peer_id : ''
  const header =
    message.kind === 'canvas_user'
      ? '[from canvas user]'
      : `[from ${message.peer_name ?? 'peer-agent'}${message.peer_role ? ` (${message.peer_role})` : ''} · peer_id=${peer}]`
  const target = message.arrival_workspace_id ? `, workspace_id="${message.arrival_workspace_id}"` : ''
  const hint =
    message.kind === 'canvas_user'
      ? `(reply: send_message_to_user(message=…${target}), then inbox_pop(activity_id="${message.activity_id}"))`
      : message.kind === 'delegation_result'
        ? `(delegation result; then inbox_pop(activity_id="${message.activity_id}"))`
        : `(reply: delegate_task(workspace_id="${peer}", task=…), then inbox_pop(activity_id="${message.activity_id}"))`
  const meta: Record<string, string> = {
    source: 'molecule',
    kind: message.kind,
    peer_id: peer,
    method: METHODS.has(message.method ?? '') ? (message.method ?? '') : '',
    activity_id: UUID.test(message.activity_id) ? message.activity_id : '',
    ts: message.created_at && !Number.isNaN(Date.parse(message.created_at)) ? message.created_at : '',
  }
  if (message.peer_name) meta.peer_name = message.peer_name
  if (message.peer_role) meta.peer_role = message.peer_role
  if (message.arrival_workspace_id) meta.arrival_workspace_id = message.arrival_workspace_id
  return { content: `${header}\n${message.text}\n${hint}`, meta }
}
