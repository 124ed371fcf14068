import type { Task } from '@molecule/adapter-core/a2a'

// Who may read a task: the caller that created it. A caller is the trimmed `X-Workspace-ID` request
// header (what the platform asserts for workspace callers), or '' — no identity: a platform user, or
// any request through the platform's proxy, which forwards none. Only the creator's identity opens a
// task; to anyone else it does not exist.

/** The caller identity of a request from its `X-Workspace-ID` header ('' = none). */
export function callerOf(workspaceIdHeader: string | undefined): string {
  return workspaceIdHeader === undefined ? '' : workspaceIdHeader.trim()
}

/**
 * The property the server adds to every task it writes to a `TaskStore`, holding the creator's
 * identity. A store keeps it like any other property (one that stores the object or its JSON does);
 * the server removes it from every task it reads back, so it never reaches the wire. A stored task
 * without it (a store that drops unknown properties) opens to nobody: access fails closed.
 */
export const OWNER_FIELD = 'molecule:owner'

/**
 * The method of a store that takes a task and its owner apart (the built-in store: no copy of the
 * task per write on the hot path). Other stores get `withOwner`'s copy through `set`.
 */
export const SET_OWNED: unique symbol = Symbol('molecule.setOwned')

export interface OwnerAwareStore {
  [SET_OWNED](task: Task, owner: string): void
}

/** A task as written to the store: the task plus its owner. */
export type StoredTask = Task & { [OWNER_FIELD]?: unknown }

/** The copy of `task` the store gets, carrying its owner. */
export function withOwner(task: Task, owner: string): StoredTask {
  return { ...task, [OWNER_FIELD]: owner }
}

/** The owner a stored task carries; undefined when it carries none. */
export function ownerOf(stored: StoredTask): string | undefined {
  const owner = stored[OWNER_FIELD]
  return typeof owner === 'string' ? owner : undefined
}

/** The task without its owner field (what readers get). */
function withoutOwner(stored: StoredTask): Task {
  if (!(OWNER_FIELD in stored)) return stored
  const { [OWNER_FIELD]: _owner, ...task } = stored
  return task
}

/** The stored task as `caller` may see it: without its owner field, or undefined when another caller owns it. */
export function ownedBy(stored: StoredTask | undefined, caller: string): Task | undefined {
  if (stored === undefined || ownerOf(stored) !== caller) return undefined
  return withoutOwner(stored)
}
