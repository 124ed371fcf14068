import type { RpcId } from '../jsonrpc.js'
import type { TaskMethods } from './core.js'

/** Per-call facts the handlers need. */
export interface RpcCall {
  id: RpcId
  params: unknown
  traceparent: string | undefined
  /** The W3C `tracestate` header sent with `traceparent`; undefined when none. */
  tracestate?: string | undefined
  /** The `A2A-Version` the caller sent (header or query), untrimmed; undefined when none. */
  version: string | undefined
  /** Who calls: the trimmed `X-Workspace-ID` header, '' when none (see task-owner.ts). */
  caller: string
}

/** A handler answers with the JSON of `result`, or a whole Response (SSE streams). */
export type RpcAnswer = string | Response

/**
 * Answers one JSON-RPC call. It may throw `RpcError` synchronously (a parameter refused before its
 * first await: the hot path keeps one async call per request) or reject; the dispatcher treats both
 * alike.
 */
export type RpcHandler = (call: RpcCall) => Promise<RpcAnswer>

/** One A2A protocol revision: its version and its JSON-RPC methods over the task-method core. */
export interface ProtocolRevision {
  /** As clients name it in `A2A-Version` and the card's `supportedInterfaces`, e.g. '1.0'. */
  readonly version: string
  /** The `A2A-Version` values (trimmed) that select this revision. */
  readonly acceptsVersion: RegExp
  /** The methods by wire name; built once per server. */
  methods(core: TaskMethods): Readonly<Record<string, RpcHandler>>
}
