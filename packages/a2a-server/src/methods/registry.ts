import { MoleculeError } from '@molecule/core'
import type { TaskMethods } from './core.js'
import type { ProtocolRevision, RpcHandler } from './handler.js'
import { v03 } from './v03.js'
import { v10 } from './v10.js'

/**
 * Every protocol revision this server answers, oldest first. A new revision is one binding file (see
 * v10.ts) added here: its methods join the table, its version is accepted in `A2A-Version` and listed
 * in the card's `supportedInterfaces`.
 */
export const PROTOCOL_REVISIONS: readonly ProtocolRevision[] = [v03, v10]

/**
 * The dispatch table of all revisions, built once per server. The method name alone picks the
 * revision: two revisions must never bind the same name.
 */
export function buildMethodTable(
  core: TaskMethods,
  revisions: readonly ProtocolRevision[] = PROTOCOL_REVISIONS,
): ReadonlyMap<string, RpcHandler> {
  const table = new Map<string, RpcHandler>()
  for (const revision of revisions)
    for (const [name, handler] of Object.entries(revision.methods(core))) {
      if (table.has(name))
        throw new MoleculeError(
          'A2A_METHOD_BOUND_TWICE',
          `A2A method ${name} is bound by two protocol revisions (the second is ${revision.version})`,
          {
            path: name,
            fix: 'Give each protocol revision its own method names: the name picks the wire shape.',
          },
        )
      table.set(name, handler)
    }
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
