import { Hono } from 'hono'
import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { type BodyProblem, describeIssue, jsonBody } from './json-body.js'

const Body = z.object({ name: z.string().min(1), size: z.number().optional() })

function appRecording(problems: BodyProblem[]) {
  const app = new Hono()
  app.post(
    '/',
    jsonBody(Body, (problem) => {
      problems.push(problem)
      return { error: 'bad body', detail: describeIssue(problem.issue) }
    }),
    (c) => c.json({ got: c.req.valid('json') }),
  )
  return app
}

const post = (app: Hono, body: string | undefined, headers: Record<string, string> = {}) =>
  app.request('/', { method: 'POST', headers, ...(body === undefined ? {} : { body }) })

describe('jsonBody', () => {
  it('reads the body as JSON whatever its Content-Type says, like the upstream binder', async () => {
    const app = appRecording([])
    const labels: Array<Record<string, string>> = [
      { 'Content-Type': 'application/json' },
      { 'Content-Type': 'application/json; charset=utf-8' },
      { 'Content-Type': 'text/plain' },
      {},
    ]
    for (const headers of labels) {
      const res = await post(app, '{"name":"x","size":2}', headers)
      expect(res.status, JSON.stringify(headers)).toBe(200)
      expect(await res.json()).toEqual({ got: { name: 'x', size: 2 } })
    }
  })

  it('judges a body that is not JSON (or no body) as undefined: the route answers as for a missing body', async () => {
    const problems: BodyProblem[] = []
    const app = appRecording(problems)
    for (const body of ['{not json', '', undefined]) {
      const res = await post(app, body, { 'Content-Type': 'application/json' })
      expect(res.status).toBe(400)
      expect(await res.json()).toEqual({ error: 'bad body', detail: expect.stringMatching(/^body: /) })
    }
    expect(problems.map((p) => p.body)).toEqual([undefined, undefined, undefined])
  })

  it('hands the first failing field and the body as sent to the refusal', async () => {
    const problems: BodyProblem[] = []
    const app = appRecording(problems)
    const res = await post(app, '{"name":"","size":"big"}', { 'Content-Type': 'application/json' })
    expect(res.status).toBe(400)
    expect(await res.json()).toMatchObject({ error: 'bad body', detail: expect.stringMatching(/^name: /) })
    expect(problems[0]?.issue?.path).toEqual(['name'])
    expect(problems[0]?.body).toEqual({ name: '', size: 'big' })
  })
})
