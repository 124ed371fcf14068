/** A local error of the runtime app: a string `code` and a message that names the field and the fix. */
export class RuntimeError extends Error {
  readonly code: string
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.name = 'RuntimeError'
    this.code = code
  }
}
