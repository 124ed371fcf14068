import { MoleculeError, type MoleculeErrorOptions } from '@molecule/core'

/**
 * Local (non-wire) error of the dev platform: a bad option, a bad CLI flag, a port already taken. A `MoleculeError`
 * (string `code`, a message that names the option and the fix); HTTP answers are a separate family, `{"error": …}`.
 */
export class DevPlatformError extends MoleculeError {
  constructor(code: string, message: string, options: MoleculeErrorOptions = {}) {
    super(code, message, options)
  }
}
