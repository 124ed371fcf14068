import type { TaskMethods } from './core.js'
import type { ProtocolRevision, RpcCall, RpcHandler } from './handler.js'
import { v03 } from './v03.js'
import { v10 } from './v10.js'

/**
 * Every protocol revision this server answers, oldest first. A new revision is one binding file (see
 * v10.ts) added here: its methods join the table, its version is accepted in `A2A-Version` and listed
 * in the card's `supportedInterfaces`.
 */
export const PROTOCOL_REVISIONS: readonly ProtocolRevision[] = [v03, v10]

interface Bound {
  revision: ProtocolRevision
  handler: RpcHandler
}

/**
 * A method name several revisions bind: the revision the caller's `A2A-Version` selects answers; without
 * one (or when the selected revision lacks the name) the oldest binding does, so a newer revision never
 * changes what existing callers get.
 */
function byVersion(bound: readonly Bound[]): RpcHandler {
  const oldest = (bound[0] as Bound).handler
  return (call: RpcCall) => {
    const version = call.version?.trim()
    if (version)
      for (const { revision, handler } of bound)
        if (revision.acceptsVersion.test(version)) return handler(call)
    return oldest(call)
  }
}

/**
 * The dispatch table of all revisions, built once per server. A name one revision binds maps straight
 * to its handler (the grammars of v0.3 and v1.0 do not overlap, so the name alone picks the wire shape);
 * a name several revisions bind goes through `byVersion`.
 */
export function buildMethodTable(
  core: TaskMethods,
  revisions: readonly ProtocolRevision[] = PROTOCOL_REVISIONS,
): ReadonlyMap<string, RpcHandler> {
  const byName = new Map<string, Bound[]>()
  for (const revision of revisions)
    for (const [name, handler] of Object.entries(revision.methods(core))) {
      const bound = byName.get(name)
      if (bound === undefined) byName.set(name, [{ revision, handler }])
      else bound.push({ revision, handler })
    }
  const table = new Map<string, RpcHandler>()
  for (const [name, bound] of byName)
    table.set(name, bound.length === 1 ? (bound[0] as Bound).handler : byVersion(bound))
  return table
}

/**
 * Why an `A2A-Version` value is refused (-32009), or undefined when a revision accepts it. An absent or
 * empty value means 0.3, as the protocol says.
 */
export function versionProblem(
  version: string | null | undefined,
  revisions: readonly ProtocolRevision[] = PROTOCOL_REVISIONS,
): string | undefined {
  if (!version) return undefined
  const v = version.trim()
  if (v === '') return undefined
  for (const revision of revisions) if (revision.acceptsVersion.test(v)) return undefined
  const supported = revisions.map((r) => r.version).join(' or ')
  return `A2A-Version ${JSON.stringify(v.slice(0, 20))} is not supported; use ${supported}`
}

/** The versions to list in the card's `supportedInterfaces`, newest first. */
export function servedVersions(revisions: readonly ProtocolRevision[] = PROTOCOL_REVISIONS): string[] {
  return revisions.map((r) => r.version).reverse()
}
