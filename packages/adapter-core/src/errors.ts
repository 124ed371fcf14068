/** Why an adapter could not be loaded. `code` is stable; `fix` says what the operator should do. */
export type AdapterLoadErrorCode =
  | 'ADAPTER_NOT_CONFIGURED'
  | 'ADAPTER_MODULE_NOT_FOUND'
  | 'ADAPTER_IMPORT_FAILED'
  | 'ADAPTER_EXPORT_MISSING'
  | 'ADAPTER_EXPORT_INVALID'

export class AdapterLoadError extends Error {
  constructor(
    readonly code: AdapterLoadErrorCode,
    message: string,
    readonly fix: string,
    options?: { cause?: unknown },
  ) {
    super(message, options)
    this.name = 'AdapterLoadError'
  }
}
