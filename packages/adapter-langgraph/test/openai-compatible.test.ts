import { once } from 'node:events'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { LangGraphAdapter } from '../src/index.js'
import { adapterConfig, agentTool, drive, reply } from './helpers.js'

/** What the fake server saw: the parsed JSON body and the Authorization header of each request. */
interface Seen {
  path: string
  auth: string | undefined
  body: {
    model: string
    stream?: boolean
    messages: Array<{ role: string; content?: unknown; tool_call_id?: string }>
    tools?: Array<{ type: string; function: { name: string; parameters: Record<string, unknown> } }>
  }
}

type Handler = (seen: Seen, res: ServerResponse) => void

let server: Server | undefined

afterEach(async () => {
  server?.closeAllConnections()
  await new Promise((resolve) => server?.close(resolve))
  server = undefined
})

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = []
  for await (const chunk of req) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks).toString('utf8')
}

/** An OpenAI-compatible chat completions server on 127.0.0.1 answering each request with the next handler. */
async function fakeOpenAI(handlers: Handler[]): Promise<{ baseUrl: string; seen: Seen[] }> {
  const seen: Seen[] = []
  server = createServer((req, res) => {
    void readBody(req).then((raw) => {
      const entry: Seen = {
        path: req.url ?? '',
        auth: req.headers.authorization,
        body: JSON.parse(raw) as Seen['body'],
      }
      seen.push(entry)
      const handler = handlers[seen.length - 1]
      if (!handler) {
        res.writeHead(500).end('{"error":{"message":"unexpected request"}}')
        return
      }
      handler(entry, res)
    })
  })
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  const { port } = server.address() as AddressInfo
  return { baseUrl: `http://127.0.0.1:${port}/v1`, seen }
}

function sse(res: ServerResponse, chunks: object[]): void {
  res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache' })
  for (const chunk of chunks) res.write(`data: ${JSON.stringify(chunk)}\n\n`)
  res.end('data: [DONE]\n\n')
}

function completionChunk(delta: object, finish: string | null = null, usage?: object): object {
  return {
    id: 'chatcmpl-1',
    object: 'chat.completion.chunk',
    created: 1,
    model: 'local-model',
    choices: [{ index: 0, delta, finish_reason: finish }],
    ...(usage ? { usage } : {}),
  }
}

function errorReply(status: number, body: object, headers: Record<string, string> = {}): Handler {
  return (_seen, res) => {
    res.writeHead(status, { 'Content-Type': 'application/json', ...headers })
    res.end(JSON.stringify(body))
  }
}

async function executorFor(baseUrl: string, env: Record<string, string> = {}) {
  const search = agentTool('search_docs', ({ query }) => `3 pages about ${String(query)}`)
  const config = adapterConfig({
    model: 'openai:local-model',
    env: { OPENAI_BASE_URL: baseUrl, OPENAI_API_KEY: 'local-test-key', ...env },
    runtimeConfig: { max_retries: 0, temperature: 0 },
    agentTools: [search],
  })
  return { executor: await new LangGraphAdapter().createExecutor(config), search }
}

describe('the model client over HTTP (an OpenAI-compatible server through OPENAI_BASE_URL)', () => {
  it('streams tool calls and text over SSE, sends the tools schema and the key, records usage', async () => {
    const { baseUrl, seen } = await fakeOpenAI([
      (_s, res) =>
        sse(res, [
          completionChunk({ role: 'assistant', content: 'Checking. ' }),
          completionChunk({
            tool_calls: [
              {
                index: 0,
                id: 'call_1',
                type: 'function',
                function: { name: 'search_docs', arguments: '{"que' },
              },
            ],
          }),
          completionChunk({ tool_calls: [{ index: 0, function: { arguments: 'ry":"zod"}' } }] }),
          completionChunk({}, 'tool_calls'),
        ]),
      (_s, res) =>
        sse(res, [
          completionChunk({ role: 'assistant', content: 'Zod has ' }),
          completionChunk({ content: '3 pages.' }),
          completionChunk({}, 'stop'),
          {
            ...completionChunk({}),
            choices: [],
            usage: { prompt_tokens: 42, completion_tokens: 7, total_tokens: 49 },
          },
        ]),
    ])
    const { executor, search } = await executorFor(baseUrl)
    const run = await drive(executor, 'how much do the docs say about zod?')

    expect(search.calls).toEqual([{ query: 'zod' }])
    expect(seen.map((s) => s.path)).toEqual(['/v1/chat/completions', '/v1/chat/completions'])
    expect(seen[0]?.auth).toBe('Bearer local-test-key')
    expect(seen[0]?.body).toMatchObject({ model: 'local-model', stream: true })
    expect(seen[0]?.body.tools?.[0]?.function).toMatchObject({
      name: 'search_docs',
      parameters: { type: 'object', properties: { query: { type: 'string' } }, required: ['query'] },
    })
    expect(seen[0]?.body.messages.map((m) => m.role)).toEqual(['system', 'user'])
    expect(seen[1]?.body.messages.map((m) => m.role)).toEqual(['system', 'user', 'assistant', 'tool'])
    expect(seen[1]?.body.messages[3]).toMatchObject({ tool_call_id: 'call_1', content: '3 pages about zod' })

    expect(new Set(run.artifacts.map((a) => a.artifactId)).size).toBe(2)
    expect(run.artifacts.map((a) => a.text).join('')).toBe('Checking. Zod has 3 pages.')
    const { text, metadata } = reply(run.outcome)
    expect(text).toBe('Checking. Zod has 3 pages.')
    expect(metadata).toEqual({
      tool_trace: [
        { tool: 'search_docs', input: expect.stringContaining('zod'), output_preview: '3 pages about zod' },
      ],
      usage: { input_tokens: 42, output_tokens: 7 },
    })
  })

  it('a 401 becomes a reply naming the key variable, never the provider text', async () => {
    const body = {
      error: { message: 'Incorrect API key provided: local-te**-key', type: 'invalid_request_error' },
    }
    const { baseUrl } = await fakeOpenAI([errorReply(401, body)])
    const { executor } = await executorFor(baseUrl)
    const run = await drive(executor, 'hello')
    const { text } = reply(run.outcome)
    expect(text).toBe(
      "Agent error: the openai API refused the credentials (HTTP 401). Check OPENAI_API_KEY in this workspace's secrets.",
    )
    expect(run.logs.at('error')).toHaveLength(1)
  })

  it('a 429 says when to retry (Retry-After)', async () => {
    const { baseUrl } = await fakeOpenAI([
      errorReply(
        429,
        { error: { message: 'Rate limit reached', type: 'requests' } },
        { 'Retry-After': '17' },
      ),
    ])
    const { executor } = await executorFor(baseUrl)
    expect(reply((await drive(executor, 'hello')).outcome).text).toBe(
      'Agent error: the openai API is rate limiting this workspace (HTTP 429). Try again in 17 s.',
    )
  })

  it('a context-length refusal tells the user to start over or shorten the message', async () => {
    const { baseUrl } = await fakeOpenAI([
      errorReply(400, {
        error: {
          message:
            "This model's maximum context length is 8192 tokens. However, your messages resulted in 9000 tokens.",
          type: 'invalid_request_error',
          code: 'context_length_exceeded',
        },
      }),
    ])
    const { executor } = await executorFor(baseUrl)
    const { text } = reply((await drive(executor, 'hello')).outcome)
    expect(text).toBe(
      'Agent error: the conversation no longer fits the context window of local-model. Start a new conversation or send a shorter message.',
    )
  })

  it('a server that is not there is a connection error reply', async () => {
    const { baseUrl } = await fakeOpenAI([])
    server?.close()
    server?.closeAllConnections()
    const { executor } = await executorFor(baseUrl)
    const { text } = reply((await drive(executor, 'hello')).outcome)
    expect(text).toBe(
      'Agent error: could not reach the openai API. Check the network and the base URL setting.',
    )
  })
})
