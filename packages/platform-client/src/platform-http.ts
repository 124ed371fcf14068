import { excerptHead, maskSecrets } from '@molecule/core'
import type { z } from 'zod'
import { backoffDelay, parseRetryAfter, type RetryPolicy, sleep } from './backoff.js'
import { Deadline } from './deadline.js'
import { bodyExcerpt, PlatformError, responseShapeError } from './errors.js'
import { formEncode } from './form-encode.js'
import { mergeFields } from './header-fields.js'
import {
  nodeTransport,
  type TransportRequest,
  type TransportResponse,
  TransportTimeout,
} from './http-transport.js'
import type { Http1Origin } from './http1/connection-pool.js'
import type { Logger } from './logger.js'
import { readCapped } from './read-capped.js'
import type { RequestTracer } from './request-tracer.js'
import type { TokenSource } from './token-store.js'
import type { CallOptions } from './types.js'

export interface PlatformHttpOptions {
  baseUrl: string
  workspaceId: string
  tokens: TokenSource
  timeoutMs: number
  retry: RetryPolicy
  /** Injected fetch: then every request goes through it. Default: node's HTTP client, fetch for uploads and downloads. */
  fetch?: typeof fetch | undefined
  logger: Logger
  headers: Record<string, string>
  random?: () => number
  /** Wraps each request in a trace span; absent when tracing is off (then nothing of it runs). */
  tracer?: RequestTracer | undefined
}

export interface RequestSpec<T> {
  method: 'GET' | 'POST' | 'DELETE' | 'PATCH' | 'PUT'
  path: string
  query?: Record<string, string | number | undefined>
  json?: unknown
  form?: FormData
  /** Parses the 2xx JSON body; `null` = the body is ignored. */
  schema: z.ZodType<T> | null
  /** Only idempotent calls are retried on 5xx/429/timeouts/connection errors. */
  idempotent: boolean
  headers?: Record<string, string>
  timeoutMs?: number
  signal?: AbortSignal
  retry?: boolean
  /** Non-2xx statuses that are returned to the caller instead of thrown (e.g. 404 on "latest checkpoint"). */
  acceptStatuses?: number[]
  /** Return every status to the caller (raw escape hatch); bodies are parsed leniently. */
  acceptAnyStatus?: boolean
  /**
   * Read a 2xx body as bytes (`data` is a `Uint8Array`, `schema` is ignored), refusing more than `maxBytes`: a
   * larger `Content-Length`, or a stream that grows past the cap, is cancelled and thrown as
   * `PLATFORM_BAD_RESPONSE` without buffering the rest.
   */
  binary?: { maxBytes: number }
}

export interface PlatformResponse<T> {
  status: number
  data: T
  headers: TransportResponse['headers']
}

/**
 * One HTTP exchange with the platform: headers (bearer, X-Workspace-ID), per-attempt timeout joined with the
 * caller's signal, retries with full-jitter backoff for idempotent calls, one token re-read on 401, zod
 * validation, and errors that never contain the token.
 */
export class PlatformHttp {
  private readonly base: string
  /** Scheme, host and port of the platform, parsed once: only the path changes from call to call. */
  private readonly origin: Http1Origin
  /** The platform's own path prefix (a platform served under `/api`), or ''. */
  private readonly prefix: string
  /** The fields every call sends, and the last token's complete set (requests do not change them, so one serves all). */
  private readonly fixedHeaders: Record<string, string>
  private readonly tokenHeaders = new Map<string | undefined, Record<string, string>>()

  constructor(private readonly opts: PlatformHttpOptions) {
    this.base = opts.baseUrl.replace(/\/+$/, '')
    const url = new URL(this.base)
    this.origin = {
      secure: url.protocol === 'https:',
      hostname: url.hostname.replace(/^\[|\]$/g, ''),
      port: url.port,
    }
    this.prefix = url.pathname.replace(/\/+$/, '')
    this.fixedHeaders = mergeFields({ accept: 'application/json' }, opts.headers, {
      'X-Workspace-ID': opts.workspaceId,
    })
  }

  get baseUrl(): string {
    return this.base
  }

  /** Sends `spec`; `call` (a caller's signal, timeout, `retry: false`) overrides the same fields of the spec. */
  request<T>(spec: RequestSpec<T>, call?: CallOptions): Promise<PlatformResponse<T>> {
    const tracer = this.opts.tracer
    if (tracer === undefined) return this.send(spec, call)
    return tracer.trace({ method: spec.method, path: spec.path, json: spec.json }, (headers, json) =>
      this.send({ ...spec, json, headers: { ...spec.headers, ...headers } }, call),
    )
  }

  private async send<T>(spec: RequestSpec<T>, call: CallOptions = {}): Promise<PlatformResponse<T>> {
    const endpoint = `${spec.method} ${spec.path}`
    const pathAndQuery = this.pathAndQuery(spec)
    const signal = call.signal ?? spec.signal
    const retry = call.retry ?? spec.retry
    const attempts = spec.idempotent && retry !== false ? Math.max(1, this.opts.retry.attempts) : 1
    let attempt = 0
    let reauthorized = false
    for (;;) {
      const token = this.opts.tokens.read()
      let response: TransportResponse
      let text: string
      let bytes: Uint8Array<ArrayBuffer> | undefined
      const timeoutMs = call.timeoutMs ?? spec.timeoutMs ?? this.opts.timeoutMs
      // The fetch path needs an abort signal for its timeout; the node transport keeps its own timer.
      const deadline = this.usesFetch(spec) ? new Deadline(timeoutMs, signal) : undefined
      let timedOut = false
      try {
        const headers = this.headersFor(spec, token)
        const body = spec.form ?? (spec.json === undefined ? undefined : JSON.stringify(spec.json))
        response = deadline
          ? await this.fetch(this.base + pathAndQuery, {
              method: spec.method,
              headers,
              body,
              signal: deadline.signal,
            })
          : await nodeTransport(
              this.origin,
              this.prefix + pathAndQuery,
              { method: spec.method, headers, body: body as string | undefined },
              timeoutMs,
              signal,
            )
        if (spec.binary && response.status >= 200 && response.status < 300) {
          bytes = await readCapped(response, spec.binary.maxBytes, endpoint)
          text = ''
        } else {
          text = await response.text()
        }
      } catch (err) {
        if (signal?.aborted) throw signal.reason
        if (err instanceof PlatformError) throw err
        timedOut = deadline ? deadline.timedOut : err instanceof TransportTimeout
        const failure = timedOut
          ? new PlatformError({
              code: 'PLATFORM_TIMEOUT',
              endpoint,
              message: `${endpoint}: the platform at ${this.base} did not answer within ${timeoutMs} ms`,
              cause: err,
            })
          : new PlatformError({
              code: 'PLATFORM_UNREACHABLE',
              endpoint,
              message: `${endpoint}: cannot reach the platform at ${this.base} (${describeNetworkError(err)})`,
              cause: err,
            })
        if (++attempt < attempts) {
          await this.pause(attempt - 1, undefined, signal, endpoint, failure)
          continue
        }
        throw failure
      } finally {
        deadline?.done()
      }

      if (response.status === 401 && !reauthorized) {
        reauthorized = true
        // The token file may have been rotated behind our back (re-provision, operator): re-read it once.
        const fresh = this.opts.tokens.reload()
        if (fresh && fresh !== token) {
          this.opts.logger.info({ endpoint }, 'platform answered 401; retrying once with the re-read token')
          continue
        }
      }

      const ok = response.status >= 200 && response.status < 300
      if (!ok && !spec.acceptStatuses?.includes(response.status)) {
        const failure = this.httpError(endpoint, response, text, token)
        const retryable = response.status >= 500 || response.status === 429
        // A Retry-After beyond our own delay cap cannot be honoured by retrying now (a fixed-window limiter would
        // only answer 429 again): give up at once and leave `retryAfterMs` to the caller.
        const honourable = (failure.retryAfterMs ?? 0) <= this.opts.retry.maxMs
        if (retryable && honourable && response.status !== 501 && ++attempt < attempts) {
          await this.pause(attempt - 1, failure.retryAfterMs, signal, endpoint, failure)
          continue
        }
        if (!spec.acceptAnyStatus) throw failure
      }

      if (bytes) return { status: response.status, data: bytes as T, headers: response.headers }
      if (spec.acceptAnyStatus)
        return { status: response.status, data: lenientJson(text) as T, headers: response.headers }
      if (spec.schema === null)
        return { status: response.status, data: undefined as T, headers: response.headers }
      return {
        status: response.status,
        data: this.parse(spec.schema, endpoint, response.status, text, token),
        headers: response.headers,
      }
    }
  }

  /**
   * Opens a long-lived streamed GET (the SSE event stream) with the same headers as every call, one token re-read
   * on 401, and no timeout: it lasts until `signal` aborts or the platform closes it. Non-2xx answers throw.
   */
  async openStream(path: string, signal: AbortSignal): Promise<ReadableStream<Uint8Array>> {
    const endpoint = `GET ${path}`
    let reauthorized = false
    for (;;) {
      const token = this.opts.tokens.read()
      const headers = { ...this.headersFor({ method: 'GET', path } as RequestSpec<unknown>, token) }
      headers.accept = 'text/event-stream'
      let response: TransportResponse
      try {
        response = await this.fetch(this.base + path, { method: 'GET', headers, signal })
      } catch (err) {
        if (signal.aborted) throw signal.reason
        throw new PlatformError({
          code: 'PLATFORM_UNREACHABLE',
          endpoint,
          message: `${endpoint}: cannot reach the platform at ${this.base} (${describeNetworkError(err)})`,
          cause: err,
        })
      }
      if (response.status === 401 && !reauthorized) {
        reauthorized = true
        const fresh = this.opts.tokens.reload()
        if (fresh && fresh !== token) {
          await response.body?.cancel().catch(() => {})
          continue
        }
      }
      if (response.status < 200 || response.status >= 300 || !response.body) {
        throw this.httpError(endpoint, response, await response.text(), token)
      }
      return response.body
    }
  }

  /** Injected fetch carries everything; otherwise fetch only where node's client is not used (forms, bytes). */
  private usesFetch(spec: RequestSpec<unknown>): boolean {
    return this.opts.fetch !== undefined || spec.form !== undefined || spec.binary !== undefined
  }

  private get fetch(): (url: string, init: TransportRequest) => Promise<TransportResponse> {
    return this.opts.fetch ?? globalThis.fetch
  }

  private parse<T>(schema: z.ZodType<T>, endpoint: string, status: number, text: string, token?: string): T {
    let json: unknown
    try {
      json = text === '' ? null : JSON.parse(text)
    } catch (err) {
      throw new PlatformError({
        code: 'PLATFORM_BAD_RESPONSE',
        endpoint,
        status,
        bodyExcerpt: bodyExcerpt(text, [token]),
        message: `${endpoint}: the platform answered ${status} with a body that is not JSON`,
        cause: err,
      })
    }
    const result = schema.safeParse(json)
    if (!result.success) throw responseShapeError(endpoint, status, result.error, bodyExcerpt(text, [token]))
    return result.data
  }

  private httpError(
    endpoint: string,
    response: TransportResponse,
    text: string,
    token?: string,
  ): PlatformError {
    let serverError: string | undefined
    let serverHint: string | undefined
    try {
      const body = JSON.parse(text) as { error?: unknown; hint?: unknown }
      if (typeof body?.error === 'string') serverError = maskSecrets(excerptHead(body.error), [token])
      if (typeof body?.hint === 'string') serverHint = maskSecrets(excerptHead(body.hint), [token])
    } catch {
      // Non-JSON error bodies (e.g. a plain-text 404 from the router) keep only the excerpt.
    }
    const status = response.status
    const unauthorized = status === 401
    return new PlatformError({
      code: unauthorized ? 'PLATFORM_UNAUTHORIZED' : 'PLATFORM_HTTP',
      endpoint,
      status,
      bodyExcerpt: bodyExcerpt(text, [token]),
      serverError,
      serverHint,
      retryAfterMs: parseRetryAfter(response.headers.get('retry-after')),
      message: unauthorized
        ? `${endpoint}: the platform rejected the workspace token (401${serverError ? `: ${serverError}` : ''}); the token is missing, revoked or belongs to another workspace — re-register or store a fresh token`
        : `${endpoint}: the platform answered ${status}${serverError ? ` (${serverError})` : ''}`,
    })
  }

  private async pause(
    retry: number,
    retryAfterMs: number | undefined,
    signal: AbortSignal | undefined,
    endpoint: string,
    failure: PlatformError,
  ): Promise<void> {
    const jitter = backoffDelay(retry, this.opts.retry, this.opts.random)
    const delay = Math.min(this.opts.retry.maxMs, Math.max(jitter, retryAfterMs ?? 0))
    this.opts.logger.debug(
      { endpoint, code: failure.code, status: failure.status, delayMs: delay },
      'retrying',
    )
    await sleep(delay, signal)
  }

  /** The request's path and query, encoded as the URL standard encodes a query (`application/x-www-form-urlencoded`). */
  private pathAndQuery(spec: RequestSpec<unknown>): string {
    let out = spec.path
    let separator = '?'
    for (const key in spec.query) {
      const value = spec.query[key]
      if (value === undefined || value === '') continue
      out += `${separator}${formEncode(key)}=${formEncode(String(value))}`
      separator = '&'
    }
    return out
  }

  /** The fields of one call. Without per-call fields the object is shared by every call with the same token. */
  private headersFor(spec: RequestSpec<unknown>, token: string | undefined): Record<string, string> {
    const bearer = token ? { authorization: `Bearer ${token}` } : undefined
    if (spec.headers === undefined && spec.json === undefined) {
      let shared = this.tokenHeaders.get(token)
      if (shared === undefined) {
        shared = mergeFields(this.fixedHeaders, bearer)
        // Only the current token's set is kept: a rotated token's entry is dropped with it.
        this.tokenHeaders.clear()
        this.tokenHeaders.set(token, shared)
      }
      return shared
    }
    const json = spec.json === undefined ? undefined : { 'content-type': 'application/json' }
    return mergeFields(this.fixedHeaders, spec.headers, json, bearer)
  }
}

function lenientJson(text: string): unknown {
  if (text === '') return null
  try {
    return JSON.parse(text)
  } catch {
    return text
  }
}

function describeNetworkError(err: unknown): string {
  const cause = (err as { cause?: { code?: string; message?: string } })?.cause
  if (cause?.code) return cause.code
  if (cause?.message) return cause.message
  return err instanceof Error ? err.message : String(err)
}
