import type { Logger } from '@molecule/core'
import { type HttpAnswer, jsonAnswer, type PlainAnswer } from './http-answer.js'
import { errorBody, RpcError, RpcErrorCode, type RpcId, resultBody, validId } from './jsonrpc.js'
import type { RpcHandler } from './methods/handler.js'
import { validTraceparent } from './methods/params.js'
import { versionProblem } from './methods/registry.js'
import { CONTENT_TYPE_REFUSAL, isJsonContentType, type Refusal, type RequestGuard } from './request-guard.js'
import { type RpcRequest, TOO_LARGE, versionQuery } from './rpc-request.js'
import { callerOf } from './task-owner.js'

const UNAUTHORIZED_HEADERS = Object.freeze({ 'www-authenticate': 'Bearer' })

const BEARER_REFUSAL: Refusal = {
  status: 401,
  message: 'Unauthorized: send Authorization: Bearer <token> with a token this agent accepts',
}

/** A JSON-RPC error answer with an HTTP status other than 200. */
function rpcFailure(status: number, err: RpcError, extra?: Readonly<Record<string, string>>): PlainAnswer {
  return jsonAnswer(errorBody(null, err), status, extra)
}

/** A refused request: a JSON-RPC error body on the JSON-RPC routes, `{"error": …}` elsewhere. */
export function refusedAnswer(refusal: Refusal, rpcRoute: boolean): PlainAnswer {
  const extra = refusal.status === 401 ? UNAUTHORIZED_HEADERS : undefined
  if (rpcRoute)
    return rpcFailure(refusal.status, new RpcError(RpcErrorCode.InvalidRequest, refusal.message), extra)
  const body =
    refusal.status === 401 ? '{"error":"unauthorized"}' : JSON.stringify({ error: refusal.message })
  return jsonAnswer(body, refusal.status, extra)
}

/** A method's RpcError as the answer: its HTTP status, and `Retry-After` when it says when to come back. */
function errorAnswer(id: RpcId, err: RpcError): PlainAnswer {
  const extra =
    err.retryAfterSeconds === undefined ? undefined : { 'retry-after': String(err.retryAfterSeconds) }
  return jsonAnswer(errorBody(id, err), err.httpStatus, extra)
}

/** The Host and Origin checks, then (unless `open`) the bearer: a refusal, or undefined to go on. */
export function refusalOf(
  guard: RequestGuard,
  header: (name: string) => string | undefined,
  open: boolean,
): Refusal | undefined {
  const refusal = guard.browserRefusal(header('host'), header('origin'))
  if (refusal !== undefined) return refusal
  if (!open && guard.requiresBearer && !guard.authorized(header('authorization'))) return BEARER_REFUSAL
  return undefined
}

export interface RpcEndpointOptions {
  guard: RequestGuard
  methods: ReadonlyMap<string, RpcHandler>
  bodyLimit: number
  logger: Logger
}

/**
 * The JSON-RPC endpoint (`POST /` and `POST /a2a`): the request checks, the body read within its limit, the envelope
 * checked, the method dispatched through the prebuilt table, the answer shaped. One function for both servers: the
 * node listener's fast path and the hono routes of `app.fetch`.
 */
export function createRpcEndpoint({ guard, methods, bodyLimit, logger }: RpcEndpointOptions) {
  return async function handleRpc(req: RpcRequest): Promise<HttpAnswer> {
    const refusal = refusalOf(guard, req.header, false)
    if (refusal !== undefined) return refusedAnswer(refusal, true)
    if (!isJsonContentType(req.header('content-type'))) return refusedAnswer(CONTENT_TYPE_REFUSAL, true)
    const raw = await req.readBody(bodyLimit)
    if (raw === TOO_LARGE)
      // The unread rest of the body makes the connection unusable: tell the client not to reuse it.
      return rpcFailure(
        413,
        new RpcError(RpcErrorCode.InvalidRequest, `Request body exceeds ${bodyLimit} bytes`),
        { connection: 'close' },
      )
    let body: unknown
    try {
      body = JSON.parse(raw)
    } catch {
      return jsonAnswer(
        errorBody(null, new RpcError(RpcErrorCode.ParseError, 'Parse error: body is not valid JSON')),
      )
    }
    if (body === null || typeof body !== 'object' || Array.isArray(body))
      return jsonAnswer(
        errorBody(
          null,
          new RpcError(
            RpcErrorCode.InvalidRequest,
            Array.isArray(body) ? 'Batch requests are not supported' : 'Request must be a JSON object',
          ),
        ),
      )
    const envelope = body as { jsonrpc?: unknown; id?: unknown; method?: unknown; params?: unknown }
    const id: RpcId = validId(envelope.id) ? envelope.id : null
    // The platform forwards heartbeat self-messages without `jsonrpc`/`id`; accept a missing version, refuse a wrong one.
    if (envelope.jsonrpc !== undefined && envelope.jsonrpc !== '2.0')
      return jsonAnswer(errorBody(id, new RpcError(RpcErrorCode.InvalidRequest, 'jsonrpc must be "2.0"')))
    if (envelope.id !== undefined && !validId(envelope.id))
      return jsonAnswer(
        errorBody(null, new RpcError(RpcErrorCode.InvalidRequest, 'id must be a string, number or null')),
      )
    if (typeof envelope.method !== 'string')
      return jsonAnswer(errorBody(id, new RpcError(RpcErrorCode.InvalidRequest, 'method must be a string')))
    const handler = methods.get(envelope.method)
    if (handler === undefined)
      return jsonAnswer(
        errorBody(
          id,
          new RpcError(RpcErrorCode.MethodNotFound, `Method not found: ${envelope.method.slice(0, 100)}`),
        ),
      )
    const version = req.header('a2a-version') || versionQuery(req.url)
    const problem = versionProblem(version)
    if (problem) return jsonAnswer(errorBody(id, new RpcError(RpcErrorCode.VersionNotSupported, problem)))
    try {
      const answer = await handler({
        id,
        params: envelope.params,
        traceparent: validTraceparent(req.header('traceparent')),
        tracestate: req.header('tracestate') || undefined,
        version,
        caller: callerOf(req.header('x-workspace-id')),
      })
      return typeof answer === 'string' ? jsonAnswer(resultBody(id, answer)) : answer
    } catch (err) {
      if (err instanceof RpcError) return errorAnswer(id, err)
      logger.error({ err, method: envelope.method, requestId: id }, 'JSON-RPC handler failed')
      // Still a JSON-RPC error with HTTP 200 (as the Python a2a-sdk answers): clients that raise on a non-2xx status
      // would otherwise lose the error object and its id.
      return jsonAnswer(errorBody(id, new RpcError(RpcErrorCode.InternalError, 'Internal error')))
    }
  }
}
