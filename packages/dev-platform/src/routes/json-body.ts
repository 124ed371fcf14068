import { zValidator } from '@hono/zod-validator'
import type { Context, Env, MiddlewareHandler } from 'hono'
import type { z } from 'zod'
import { isJsonMediaType, mediaTypeOf } from '../request-policy.js'
import { errorJson } from './route-context.js'

/** Why a body was refused: the first problem zod found, and the body as sent (`undefined` when it is not JSON). */
export interface BodyProblem {
  issue: z.core.$ZodIssue | undefined
  body: unknown
}

/** The validated-body input of a route or middleware that runs after `jsonBody(schema)`. */
export type JsonInput<S extends z.ZodType> = { in: { json: z.input<S> }; out: { json: z.output<S> } }

/** The `{"error": …}` answer (status 400) for a refused body; extra keys such as `detail` go beside `error`. */
export type BodyRefusal = { error: string } & Record<string, unknown>

/**
 * Validates the request's JSON body against `schema` with @hono/zod-validator; a refused body is answered
 * `400 refuse(problem)`, the platform's own error shape. The route reads the result with `c.req.valid('json')`.
 *
 * Like the upstream binder, the body is read as JSON without looking at its Content-Type. In the app, the request
 * guard (`request-guard.ts`) has already refused every label but JSON on write routes (415: `text/plain` and the form
 * types are what a cross-site page can send), so what reaches this point unlabelled is a body sent without any
 * Content-Type. hono's json validator only reads bodies labelled JSON, so such a body is relabelled before it runs. A
 * body that is not JSON at all is judged as no body: the schema is checked against `undefined`.
 */
export function jsonBody<S extends z.ZodType>(
  schema: S,
  refuse: (problem: BodyProblem) => BodyRefusal,
): MiddlewareHandler<Env, string, JsonInput<S>> {
  const answer = (c: Context, problem: BodyProblem) => {
    const { error, ...extra } = refuse(problem)
    return errorJson(c, 400, error, extra)
  }
  const validate = zValidator('json', schema, (result, c) =>
    result.success ? undefined : answer(c, { issue: result.error.issues[0], body: result.data }),
  )
  return async (c: Context, next) => {
    const text = await c.req.text()
    if (!isJson(text)) {
      return answer(c, { issue: schema.safeParse(undefined).error?.issues[0], body: undefined })
    }
    const mediaType = mediaTypeOf(c.req.header('Content-Type'))
    if (mediaType === undefined || !isJsonMediaType(mediaType)) c.req.raw = labelledJson(c.req.raw)
    return validate(c, next)
  }
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text)
    return true
  } catch {
    return false
  }
}

/** The same request labelled `application/json`; its body has been read already (hono keeps the text). */
function labelledJson(request: Request): Request {
  const headers = new Headers(request.headers)
  headers.set('Content-Type', 'application/json')
  return new Request(request.url, { method: request.method, headers })
}

/** `path: message` of a zod issue, `body: …` when it is about the body as a whole. */
export function describeIssue(issue: z.core.$ZodIssue | undefined): string {
  return issue ? `${issue.path.join('.') || 'body'}: ${issue.message}` : 'invalid body'
}

/** The first path segment an issue is about (`undefined` for the body as a whole). */
export function fieldOf(problem: BodyProblem): PropertyKey | undefined {
  return problem.issue?.path[0]
}
