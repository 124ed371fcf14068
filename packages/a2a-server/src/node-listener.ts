import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http'
import type { HttpAnswer } from './http-answer.js'
import { writeAnswer } from './http-answer.js'
import { nodeRpcRequest, type RpcRequest } from './rpc-request.js'

/** Is this the JSON-RPC endpoint: `POST /` or `POST /a2a`, with or without a query? */
function isRpcRoute(req: IncomingMessage): boolean {
  if (req.method !== 'POST') return false
  const url = req.url ?? ''
  const end = url.indexOf('?')
  const path = end < 0 ? url : url.slice(0, end)
  return path === '/' || path === '/a2a'
}

/**
 * The server's request listener. The JSON-RPC endpoint — nearly every request a workspace gets — is answered from
 * node's request and response directly, without building a fetch `Request` and `Response` per call (≈ 8 µs a request
 * on the development machine, a fifth of a bare hono route's whole cost). Everything else (cards, health,
 * transcript, 404s) goes to the hono app, which also serves the endpoint itself for `app.fetch`.
 */
export function createNodeListener(
  handleRpc: (req: RpcRequest) => Promise<HttpAnswer>,
  fallback: RequestListener,
  onError: (err: unknown) => HttpAnswer,
): RequestListener {
  return (req: IncomingMessage, res: ServerResponse) => {
    if (!isRpcRoute(req)) {
      fallback(req, res)
      return
    }
    handleRpc(nodeRpcRequest(req)).then(
      (answer) => writeAnswer(res, answer),
      (err: unknown) => writeAnswer(res, onError(err)),
    )
  }
}
