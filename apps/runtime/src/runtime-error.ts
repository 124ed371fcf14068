import { MoleculeError, type MoleculeErrorOptions } from '@molecule/config'

/**
 * A local error of the runtime app: a `MoleculeError` (string `code`, message naming the field and the fix).
 * `name` stays `MoleculeError` so `isMoleculeError` recognises it across module copies.
 */
export class RuntimeError extends MoleculeError {
  constructor(code: string, message: string, options?: MoleculeErrorOptions) {
    super(code, message, options)
  }
}
