/**
 * The local error family for Molecule: a string `code`, a message that names the field or file,
 * and an optional one-sentence `fix`. Wire errors (JSON-RPC, MCP) keep their own protocol shapes.
 */
export interface MoleculeErrorOptions {
  /** YAML path (`a2a.port`), env var name or file path the problem is about. */
  path?: string
  /** One sentence telling the user what to do. */
  fix?: string
  cause?: unknown
  /** Machine-readable extra data, e.g. the list of config problems. */
  details?: unknown
}

export class MoleculeError extends Error {
  readonly code: string
  readonly path?: string
  readonly fix?: string
  readonly details?: unknown

  constructor(code: string, message: string, options: MoleculeErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause })
    this.name = 'MoleculeError'
    this.code = code
    if (options.path !== undefined) this.path = options.path
    if (options.fix !== undefined) this.fix = options.fix
    if (options.details !== undefined) this.details = options.details
  }
}

/** Duck-typed as well as instanceof, so errors crossing duplicated module copies still match. */
export function isMoleculeError(e: unknown): e is MoleculeError {
  if (e instanceof MoleculeError) return true
  return (
    typeof e === 'object' &&
    e !== null &&
    (e as { name?: unknown }).name === 'MoleculeError' &&
    typeof (e as { code?: unknown }).code === 'string'
  )
}
