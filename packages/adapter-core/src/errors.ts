/** Why an adapter could not be loaded. `code` is stable; `fix` says what the operator should do. */
export type AdapterLoadErrorCode =
  | 'ADAPTER_NOT_CONFIGURED'
  | 'ADAPTER_MODULE_NOT_FOUND'
  | 'ADAPTER_IMPORT_FAILED'
  | 'ADAPTER_EXPORT_MISSING'
  | 'ADAPTER_EXPORT_INVALID'

/**
 * A `MoleculeError` (it satisfies @molecule/config's `isMoleculeError`: name `MoleculeError`, string
 * `code`, `path`, `fix`) defined here so templates importing adapter-core load no config code:
 * adapter-core depends on @molecule/config for types only.
 */
export class AdapterLoadError extends Error {
  override readonly name = 'MoleculeError'
  /** The setting the problem is about. */
  readonly path = 'ADAPTER_MODULE'

  constructor(
    readonly code: AdapterLoadErrorCode,
    message: string,
    readonly fix: string,
    options?: { cause?: unknown },
  ) {
    super(message, options)
  }
}
