import { MoleculeError, type MoleculeErrorOptions } from '@molecule/core'

/** A local error of the plugins package: names the plugin and the file at fault. */
export class PluginError extends MoleculeError {
  constructor(code: string, message: string, options?: MoleculeErrorOptions) {
    super(code, message, options)
  }
}
