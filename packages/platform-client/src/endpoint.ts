import { z } from 'zod'
import { responseShapeError } from './errors.js'
import type { PlatformHttp, PlatformResponse, RequestSpec } from './platform-http.js'
import type { CallOptions } from './types.js'

export type HttpMethod = RequestSpec<unknown>['method']

/**
 * One platform endpoint as data: what to send and how to read the answer. Credentials, `X-Workspace-ID`, timeouts,
 * retries and the caller's signal are not part of it: {@link callEndpoint} adds them the same way for every endpoint.
 */
export interface Endpoint<Body, Result = Body>
  extends Omit<RequestSpec<Body>, 'signal' | 'timeoutMs' | 'retry'> {
  /** Turns the parsed answer (with its status and headers) into what the client method returns. */
  read: (response: PlatformResponse<Body>) => Result
}

/** What an endpoint may add to its method, path and schema. */
export type EndpointExtras = Partial<
  Pick<
    RequestSpec<unknown>,
    'idempotent' | 'query' | 'json' | 'form' | 'headers' | 'acceptStatuses' | 'acceptAnyStatus' | 'binary'
  >
>

/**
 * The one request helper: sends `endpoint` with the client's credentials and identity headers, applying the call
 * options (`signal`, per-attempt `timeoutMs`, `retry: false`) identically for every endpoint.
 */
export async function callEndpoint<Body, Result>(
  http: PlatformHttp,
  endpoint: Endpoint<Body, Result>,
  opts?: CallOptions,
): Promise<Result> {
  return endpoint.read(await http.request(endpoint, opts))
}

/**
 * Declares an endpoint whose result is its parsed body. GETs are idempotent (retried) unless `extras` say otherwise;
 * every other method is not, since a repeated write could apply twice.
 */
export function endpoint<T>(
  method: HttpMethod,
  path: string,
  schema: z.ZodType<T> | null,
  extras: EndpointExtras = {},
): Endpoint<T> {
  return { method, path, schema, idempotent: method === 'GET', ...extras, read: bodyOf }
}

function bodyOf<T>(response: PlatformResponse<T>): T {
  return response.data
}

const LISTS = new WeakMap<z.ZodType, z.ZodType>()

/**
 * The platform's list answers: a JSON array, or `null` for none, which reads as `[]`. Built once per item schema:
 * endpoints are declared per call, and building a zod schema costs more than the request it validates.
 */
export function listOf<T>(item: z.ZodType<T>): z.ZodType<T[]> {
  let list = LISTS.get(item) as z.ZodType<T[]> | undefined
  if (list === undefined) {
    list = z
      .array(item)
      .nullable()
      .transform((rows) => rows ?? [])
    LISTS.set(item, list)
  }
  return list
}

/** Names of the `:params` of a path template, e.g. `'id' | 'memoryId'` of `/workspaces/:id/memories/:memoryId`. */
export type RouteParams<Template extends string> = Template extends `${string}:${infer Name}/${infer Rest}`
  ? Name | RouteParams<Rest>
  : Template extends `${string}:${infer Name}`
    ? Name
    : never

/** Fills the `:params` of a path template, each URI-encoded (ids come from agents and must not add path segments). */
export function route<Template extends string>(
  template: Template,
  params: Record<RouteParams<Template>, string>,
): string {
  const values = params as Record<string, string>
  return template.replace(/:([A-Za-z]+)/g, (_, name: string) => encodeURIComponent(values[name] as string))
}

/** Validates a body that the endpoint read leniently (e.g. next to an accepted 404) against its real schema. */
export function parseAs<T>(schema: z.ZodType<T>, response: PlatformResponse<unknown>, name: string): T {
  const parsed = schema.safeParse(response.data)
  if (!parsed.success) throw responseShapeError(name, response.status, parsed.error)
  return parsed.data
}
