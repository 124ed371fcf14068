import type { ModelSpec } from './model-spec.js'

/** Upstream's prefix: clients (and peers' delegation tools) recognise a failed turn by it. */
export const AGENT_ERROR_PREFIX = 'Agent error:'

interface ErrorShape {
  status?: unknown
  code?: unknown
  lc_error_code?: unknown
  headers?: unknown
  name?: unknown
  message?: unknown
  error?: unknown
  cause?: unknown
}

function header(headers: unknown, name: string): string | undefined {
  if (!headers || typeof headers !== 'object') return undefined
  const get = (headers as { get?: unknown }).get
  if (typeof get === 'function') return (get.call(headers, name) as string | null) ?? undefined
  const value = (headers as Record<string, unknown>)[name]
  return typeof value === 'string' ? value : undefined
}

/** Seconds to wait from a `Retry-After` header (seconds or an HTTP date), rounded up; undefined when absent. */
export function retryAfterSeconds(headers: unknown, now = Date.now()): number | undefined {
  const raw = header(headers, 'retry-after')?.trim()
  if (!raw) return undefined
  const seconds = Number(raw)
  if (Number.isFinite(seconds) && seconds >= 0) return Math.ceil(seconds)
  const at = Date.parse(raw)
  return Number.isNaN(at) ? undefined : Math.max(0, Math.ceil((at - now) / 1000))
}

function statusOf(err: ErrorShape): number | undefined {
  return typeof err.status === 'number' ? err.status : undefined
}

/** Provider wording for "the prompt does not fit", across OpenAI, Anthropic and OpenAI-compatible servers. */
const CONTEXT_LENGTH =
  /context[_ ]length|context window|maximum context|prompt is too long|too many tokens|reduce the length/i

function isContextLength(err: ErrorShape): boolean {
  if (err.lc_error_code === 'MODEL_CONTEXT_WINDOW_EXCEEDED' || err.code === 'context_length_exceeded')
    return true
  return typeof err.message === 'string' && CONTEXT_LENGTH.test(err.message)
}

function isConnectionError(err: ErrorShape): boolean {
  // The provider SDKs' connection errors, by class name (their `name` is often plain `Error`).
  const names = [err.name, (err as object).constructor?.name]
  if (names.some((n) => n === 'APIConnectionError' || n === 'APIConnectionTimeoutError')) return true
  const cause = err.cause as ErrorShape | undefined
  return (
    typeof cause?.code === 'string' &&
    /^(ECONNREFUSED|ENOTFOUND|ECONNRESET|ETIMEDOUT|EAI_AGAIN)$/.test(cause.code)
  )
}

/**
 * The agent's reply for a failed model call: what happened and what to do, in words an operator can act on.
 * Never the raw exception text (it may quote request bodies or keys); the detail goes to the log instead.
 * Undefined for errors that are not the provider's (the caller reports those as a generic agent error).
 */
export function providerErrorReply(
  error: unknown,
  spec: Pick<ModelSpec, 'provider' | 'model' | 'keyVar'>,
): string | undefined {
  if (!error || typeof error !== 'object') return undefined
  const err = error as ErrorShape
  const status = statusOf(err)
  const who = `the ${spec.provider} API`
  if (status === 401 || status === 403 || err.lc_error_code === 'MODEL_AUTHENTICATION')
    return `${AGENT_ERROR_PREFIX} ${who} refused the credentials (HTTP ${status ?? 401}). Check ${spec.keyVar} in this workspace's secrets.`
  if (status === 429 || err.lc_error_code === 'MODEL_RATE_LIMIT') {
    const wait = retryAfterSeconds(err.headers)
    const when = wait === undefined ? 'Try again in a minute' : `Try again in ${wait} s`
    return `${AGENT_ERROR_PREFIX} ${who} is rate limiting this workspace (HTTP 429). ${when}.`
  }
  if (isContextLength(err))
    return `${AGENT_ERROR_PREFIX} the conversation no longer fits the context window of ${spec.model}. Start a new conversation or send a shorter message.`
  if (status === 404 || err.lc_error_code === 'MODEL_NOT_FOUND')
    return `${AGENT_ERROR_PREFIX} ${who} does not know the model "${spec.model}" (HTTP 404). Check \`model\` in config.yaml.`
  if (isConnectionError(err))
    return `${AGENT_ERROR_PREFIX} could not reach ${who}. Check the network and the base URL setting.`
  if (status !== undefined && status >= 400)
    return `${AGENT_ERROR_PREFIX} ${who} failed the request (HTTP ${status}). Try again later; the workspace logs have the details.`
  return undefined
}
