import {
  MessageShapeError,
  normalizeMessage,
  type PushNotificationConfig,
  pushNotificationConfigSchema,
  type TaskPushNotificationConfig,
  taskPushNotificationConfigSchema,
} from '@molecule/adapter-core/a2a'
import type { z } from 'zod'
import { RpcError, RpcErrorCode, rpc } from '../jsonrpc.js'
import type { SendRequest } from './core.js'
import type { RpcCall } from './handler.js'

// Parameter parsing shared by the protocol revisions. Hand-written checks (zod only for push configs):
// they run on every request. Every refusal is -32602 naming the field at fault.

export type Params = Record<string, unknown>

export function paramsObject(params: unknown): Params {
  if (params === null || typeof params !== 'object' || Array.isArray(params))
    throw rpc.invalidParams('params must be an object')
  return params as Params
}

export function requiredString(p: Params, key: string): string {
  const value = p[key]
  if (typeof value !== 'string' || value.length === 0)
    throw rpc.invalidParams(`params.${key} must be a non-empty string`)
  return value
}

/** A string member when present and non-empty, else undefined (never refused). */
export function optionalString(p: Params, key: string): string | undefined {
  const value = p[key]
  return typeof value === 'string' && value ? value : undefined
}

export function optionalCount(p: Params | undefined, key: string, field: string): number | undefined {
  const value = p?.[key]
  if (value === undefined || value === null) return undefined
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0)
    throw rpc.invalidParams(`${field} must be a non-negative integer`)
  return value
}

export function optionalObject(p: Params, key: string): Params | undefined {
  const value = p[key]
  if (value === undefined || value === null) return undefined
  if (typeof value !== 'object' || Array.isArray(value))
    throw rpc.invalidParams(`params.${key} must be an object`)
  return value as Params
}

/** `statusTimestampAfter` as epoch ms, or undefined when absent. */
export function optionalTimestamp(raw: unknown): number | undefined {
  if (raw === undefined || raw === null || raw === '') return undefined
  const ms = typeof raw === 'string' ? Date.parse(raw) : Number.NaN
  if (Number.isNaN(ms)) throw rpc.invalidParams('params.statusTimestampAfter must be an ISO 8601 timestamp')
  return ms
}

/** The first zod issue as `field.path: problem`. */
export function zodProblem(error: z.ZodError, prefix: string): string {
  const issue = error.issues[0]
  const where = issue?.path.length ? `${prefix}.${issue.path.join('.')}` : prefix
  return `${where}: ${issue?.message ?? 'invalid'}`
}

/** A v0.3 `PushNotificationConfig` found at `field`. */
export function parsePushConfig(raw: unknown, field: string): PushNotificationConfig {
  const parsed = pushNotificationConfigSchema.safeParse(raw)
  if (!parsed.success) throw rpc.invalidParams(zodProblem(parsed.error, field))
  return parsed.data as PushNotificationConfig
}

/** v0.3 `params` of `tasks/pushNotificationConfig/set`: `{ taskId, pushNotificationConfig }`. */
export function parseTaskPushConfig(raw: unknown): TaskPushNotificationConfig {
  const parsed = taskPushNotificationConfigSchema.safeParse(raw)
  if (!parsed.success) throw rpc.invalidParams(zodProblem(parsed.error, 'params'))
  return parsed.data as TaskPushNotificationConfig
}

/**
 * -32005 when the caller accepts none of the types the agent produces (`*` wildcards match); nothing
 * to check when either list is empty.
 */
export function checkAcceptedOutputModes(accepted: unknown, offered: () => readonly string[]): void {
  if (accepted === undefined || accepted === null) return
  if (!Array.isArray(accepted) || accepted.some((m) => typeof m !== 'string'))
    throw rpc.invalidParams('params.configuration.acceptedOutputModes must be an array of strings')
  const have = offered()
  if (accepted.length === 0 || have.length === 0) return
  if (!accepted.some((want: string) => have.some((type) => mediaTypeMatches(want, type))))
    throw new RpcError(
      RpcErrorCode.ContentTypeNotSupported,
      `None of acceptedOutputModes (${accepted.join(', ').slice(0, 200)}) is produced by this agent (${have.join(', ')})`,
    )
}

function mediaTypeMatches(want: string, have: string): boolean {
  if (want === '*/*' || want === have) return true
  const [type, sub] = want.split('/')
  return sub === '*' && have.startsWith(`${type}/`)
}

/** Where the send methods of one protocol revision differ: the names inside `params.configuration`. */
export interface SendDialect {
  /** True when the caller asked for the task at once instead of waiting for it to finish. */
  returnImmediately(configuration: Params | undefined): boolean
  /** The push config sent along with the message, parsed; undefined when none. */
  pushConfig(configuration: Params | undefined): PushNotificationConfig | undefined
}

/** `params` of a send method (`message`, `configuration`, `metadata`), checked in this order. */
export function readSendParams(
  call: RpcCall,
  dialect: SendDialect,
  offeredOutputModes: () => readonly string[],
): SendRequest {
  const p = paramsObject(call.params)
  let message: ReturnType<typeof normalizeMessage>
  try {
    message = normalizeMessage(p.message, 'params.message')
  } catch (err) {
    if (err instanceof MessageShapeError) throw rpc.invalidParams(err.message)
    throw err
  }
  const config = optionalObject(p, 'configuration')
  const historyLength = optionalCount(config, 'historyLength', 'params.configuration.historyLength')
  const returnImmediately = dialect.returnImmediately(config)
  checkAcceptedOutputModes(config?.acceptedOutputModes, offeredOutputModes)
  const metadata = optionalObject(p, 'metadata')
  const pushConfig = dialect.pushConfig(config)
  // The platform's proxy forwards no trace headers: a delegating runtime puts its traceparent in the metadata.
  const traceparent = call.traceparent ?? validTraceparent(metadata?.traceparent)
  const tracestate = call.traceparent
    ? call.tracestate
    : typeof metadata?.tracestate === 'string'
      ? metadata.tracestate
      : undefined
  // Shaped as the engine's StartParams (plus send options) so it is passed on as is.
  return {
    message,
    historyLength,
    returnImmediately,
    metadata,
    pushConfig,
    traceparent,
    tracestate,
    caller: call.caller,
  }
}

const TRACEPARENT = /^[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$/

/** A W3C traceparent value, or undefined when absent or malformed. */
export function validTraceparent(value: unknown): string | undefined {
  return typeof value === 'string' && TRACEPARENT.test(value) ? value : undefined
}
