/**
 * The local error family of every @molecule package: a stable string `code`, a message that names the field, file or
 * variable at fault, an optional one-sentence `fix`, and the `cause`. Wire errors (JSON-RPC error objects, platform HTTP
 * failures, MCP tool errors) are a separate family with their protocol's own shapes.
 */
export interface MoleculeErrorOptions {
  /** What the problem is about: a YAML path (`a2a.port`), an env var name, or a file path. */
  path?: string
  /** One sentence telling the user what to do. */
  fix?: string
  cause?: unknown
  /** Machine-readable extra data, e.g. the list of config problems. */
  details?: unknown
}

/**
 * Registered in the global symbol registry, so two copies of this module in one process (a package bundled into
 * another, or installed twice at different versions) brand their errors identically and recognise each other's.
 */
const BRAND: unique symbol = Symbol.for('@molecule/core.MoleculeError') as never

export class MoleculeError extends Error {
  declare readonly [BRAND]: true
  readonly code: string
  declare readonly path?: string
  declare readonly fix?: string
  declare readonly details?: unknown

  constructor(code: string, message: string, options: MoleculeErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause })
    this.name = new.target.name === 'MoleculeError' ? 'MoleculeError' : new.target.name
    this.code = code
    if (options.path !== undefined) this.path = options.path
    if (options.fix !== undefined) this.fix = options.fix
    if (options.details !== undefined) this.details = options.details
  }

  /**
   * `err instanceof MoleculeError` is true for errors from any copy of this class. Subclasses keep the ordinary
   * prototype check, so `instanceof BridgeConfigError` still means exactly that class.
   */
  static override [Symbol.hasInstance](value: unknown): boolean {
    // biome-ignore lint/complexity/noThisInStatic: `this` is the class `instanceof` was asked about, maybe a subclass
    if (this !== MoleculeError) return Function.prototype[Symbol.hasInstance].call(this, value)
    return isMoleculeError(value)
  }
}

Object.defineProperty(MoleculeError.prototype, BRAND, { value: true, enumerable: false })

/** True for a `MoleculeError` (or subclass) from any copy of this module, judged by the brand, never by `name`. */
export function isMoleculeError(value: unknown): value is MoleculeError {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as { [BRAND]?: unknown })[BRAND] === true &&
    typeof (value as { code?: unknown }).code === 'string'
  )
}

/**
 * The text a command-line tool prints for an error: for a `MoleculeError` its message and `Fix:` line and never a
 * stack (user mistakes are not crashes); for anything else the message, and the stack only when `verbose`.
 */
export function describeError(err: unknown, options: { verbose?: boolean } = {}): string {
  if (isMoleculeError(err)) {
    const fix = err.fix && !err.message.includes(err.fix) ? `\n  Fix: ${err.fix}` : ''
    return `${err.message}${fix}`
  }
  if (err instanceof Error) return options.verbose && err.stack ? err.stack : err.message || String(err)
  return String(err)
}
