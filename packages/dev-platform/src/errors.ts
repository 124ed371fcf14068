/**
 * Local (non-wire) error of the dev platform: bad options, bad CLI flags, a port already taken.
 * The package may not import `@molecule/config`, so it carries its own class with the same shape as
 * `MoleculeError` (string `code`, a message that names the field and the fix).
 */
export class DevPlatformError extends Error {
  readonly code: string

  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.name = 'DevPlatformError'
    this.code = code
  }
}
