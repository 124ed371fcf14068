import { MoleculeError, type MoleculeErrorOptions } from '@molecule/core'

/**
 * A local error of the runtime app: a `MoleculeError` of `@molecule/core` (string `code`, a message naming the field
 * or file at fault, an optional `fix`), so the CLI prints it as a user mistake, without a stack.
 */
export class RuntimeError extends MoleculeError {
  constructor(code: string, message: string, options?: MoleculeErrorOptions) {
    super(code, message, options)
  }
}
