/** RBAC actions a tool may require. */
export type RbacAction = 'delegate' | 'approve' | 'memory.read' | 'memory.write'

/** Built-in roles. `admin` is handled separately: it grants every action, known or not. */
export const BUILTIN_ROLES: Readonly<Record<string, readonly RbacAction[]>> = {
  operator: ['delegate', 'approve', 'memory.read', 'memory.write'],
  'read-only': ['memory.read'],
  'no-delegation': ['approve', 'memory.read', 'memory.write'],
  'no-approval': ['delegate', 'memory.read', 'memory.write'],
  'memory-readonly': ['memory.read'],
}

/** Which action each platform tool needs; tools not listed are always permitted. */
export const TOOL_PERMISSIONS: Readonly<Record<string, RbacAction>> = {
  delegate_task: 'delegate',
  delegate_task_async: 'delegate',
  check_task_status: 'delegate',
  send_message_to_user: 'approve',
  commit_memory: 'memory.write',
  update_agent_card: 'memory.write',
  recall_memory: 'memory.read',
  request_approval: 'approve',
  check_approval: 'approve',
}

export const DEFAULT_ROLES: readonly string[] = ['operator']

/**
 * True when any role grants the action. A role defined in `customRoles` uses only its custom list (it does not
 * fall through to the built-in of the same name); unknown roles grant nothing; no roles means no permission.
 */
export function checkPermission(
  action: string,
  roles: readonly string[],
  customRoles: Readonly<Record<string, readonly string[]>> = {},
): boolean {
  for (const role of roles) {
    if (role === 'admin') return true
    const custom = customRoles[role]
    if (custom) {
      if (custom.includes(action)) return true
      continue
    }
    if ((BUILTIN_ROLES[role] as readonly string[] | undefined)?.includes(action)) return true
  }
  return false
}

export function permissionDeniedText(action: string, roles: readonly string[]): string {
  return `PERMISSION DENIED: RBAC: action '${action}' denied for roles [${roles.map((r) => `'${r}'`).join(', ')}]`
}
