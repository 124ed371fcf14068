import { MoleculeError } from '@molecule/core'

/** Why an adapter could not be loaded. `code` is stable; `fix` says what the operator should do. */
export type AdapterLoadErrorCode =
  | 'ADAPTER_NOT_CONFIGURED'
  | 'ADAPTER_MODULE_NOT_FOUND'
  | 'ADAPTER_IMPORT_FAILED'
  | 'ADAPTER_EXPORT_MISSING'
  | 'ADAPTER_EXPORT_INVALID'
  | 'ADAPTER_PACKAGE_MISSING'

/** A `MoleculeError` about the `ADAPTER_MODULE` setting (or config `runtime`), always with a fix. */
export class AdapterLoadError extends MoleculeError {
  declare readonly code: AdapterLoadErrorCode
  declare readonly path: string
  declare readonly fix: string

  constructor(code: AdapterLoadErrorCode, message: string, fix: string, options?: { cause?: unknown }) {
    super(code, message, { path: 'ADAPTER_MODULE', fix, cause: options?.cause })
  }
}
