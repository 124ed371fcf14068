/** JSON-RPC 2.0 + A2A error codes (identical in v0.3 and v1.0 except the last two). */
export const RpcErrorCode = {
  ParseError: -32700,
  InvalidRequest: -32600,
  MethodNotFound: -32601,
  InvalidParams: -32602,
  InternalError: -32603,
  TaskNotFound: -32001,
  TaskNotCancelable: -32002,
  PushNotificationNotSupported: -32003,
  UnsupportedOperation: -32004,
  ContentTypeNotSupported: -32005,
  InvalidAgentResponse: -32006,
  ExtendedCardNotConfigured: -32007,
  VersionNotSupported: -32009,
} as const

export type RpcId = string | number | null

/** A wire error: becomes the `error` member of a JSON-RPC response as is. */
export class RpcError extends Error {
  /** HTTP status for the reply; JSON-RPC errors normally travel with 200. */
  httpStatus = 200
  /** Sent as the `Retry-After` header (seconds) when set: the server is busy, try again later. */
  retryAfterSeconds: number | undefined

  constructor(
    readonly code: number,
    message: string,
    readonly data?: unknown,
  ) {
    super(message)
    this.name = 'RpcError'
  }
}

export const rpc = {
  invalidParams: (message: string) => new RpcError(RpcErrorCode.InvalidParams, message),
  taskNotFound: (id: string) =>
    new RpcError(RpcErrorCode.TaskNotFound, `Task not found: ${JSON.stringify(id).slice(0, 200)}`),
}

// Serialised by hand so the envelope costs no extra object per response.
export function resultBody(id: RpcId, resultJson: string): string {
  return `{"jsonrpc":"2.0","id":${JSON.stringify(id)},"result":${resultJson}}`
}

export function errorBody(id: RpcId, err: RpcError): string {
  const error: { code: number; message: string; data?: unknown } = {
    code: err.code,
    message: err.message,
  }
  if (err.data !== undefined) error.data = err.data
  return `{"jsonrpc":"2.0","id":${JSON.stringify(id)},"error":${JSON.stringify(error)}}`
}

/** A request id as the spec allows it (string, number or null); anything else is not echoed. */
export function validId(id: unknown): id is RpcId {
  return id === null || typeof id === 'string' || (typeof id === 'number' && Number.isFinite(id))
}
