import type { Workspace } from './workspace.js'

const MAX_DEPTH = 32

type Lookup = (id: string) => Workspace | undefined

function isAncestor(lookup: Lookup, ancestorId: string, of: Workspace): boolean {
  let current: Workspace | undefined = of
  for (let depth = 0; depth < MAX_DEPTH && current?.parent_id; depth++) {
    if (current.parent_id === ancestorId) return true
    current = lookup(current.parent_id)
  }
  return false
}

/**
 * Who may talk to whom (upstream `CanCommunicate`): self, siblings (all roots are siblings), and any
 * ancestor/descendant pair. Cousins and uncles are denied; so is anything unknown.
 */
export function canCommunicate(lookup: Lookup, callerId: string, targetId: string): boolean {
  if (callerId === targetId) return true
  const caller = lookup(callerId)
  const target = lookup(targetId)
  if (!caller || !target) return false
  if (caller.parent_id === target.parent_id) return true
  return isAncestor(lookup, caller.id, target) || isAncestor(lookup, target.id, caller)
}

/** The answer of `GET /registry/:id/peers`, in order: siblings, children, parent; removed rows excluded. */
export function peersOf(all: Iterable<Workspace>, self: Workspace, lookup: Lookup): Workspace[] {
  const live = [...all].filter((ws) => ws.status !== 'removed' && ws.id !== self.id)
  const siblings = live.filter((ws) => ws.parent_id === self.parent_id)
  const children = live.filter((ws) => ws.parent_id === self.id)
  const parent = self.parent_id ? lookup(self.parent_id) : undefined
  return [...siblings, ...children, ...(parent && parent.status !== 'removed' ? [parent] : [])]
}

/** The writer's team for TEAM memories: parent + its children, or for a root itself + its children. */
export function teamOf(all: Iterable<Workspace>, self: Workspace): Set<string> {
  const head = self.parent_id ?? self.id
  const team = new Set<string>([head])
  for (const ws of all) if (ws.parent_id === head && ws.status !== 'removed') team.add(ws.id)
  return team
}

/** The workspace and every descendant, root first. */
export function subtreeOf(all: Workspace[], rootId: string): Workspace[] {
  const out: Workspace[] = []
  const queue = [rootId]
  while (queue.length > 0) {
    const id = queue.shift() as string
    const ws = all.find((w) => w.id === id)
    if (!ws) continue
    out.push(ws)
    for (const child of all) if (child.parent_id === id) queue.push(child.id)
  }
  return out
}
