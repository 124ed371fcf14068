// Servers the A2A benchmarks compare, each started in its own child process (see serveTarget).
// Every target answers an A2A v0.3 `message/send` on POST / with an echo of the first text part.
import { randomUUID } from 'node:crypto'
import { resolve } from 'node:path'
import { pathToFileURL } from 'node:url'

const CARD_URL = 'http://127.0.0.1:0/'

/** `build`: a path to another build's index.js (a2a-ab.mjs); default the workspace's dist. */
async function ours({ taskStore, build } = {}) {
  const { createA2AServer } = await import(
    build === undefined ? '@molecule/a2a-server' : pathToFileURL(resolve(build)).href
  ).catch((err) => {
    throw new Error(
      `cannot load @molecule/a2a-server's dist (${err.code ?? err.message}); run \`pnpm --filter @molecule/a2a-server... build\` first`,
    )
  })
  const { pino } = await import('pino')
  const server = createA2AServer({
    card: {
      name: 'bench-echo',
      description: 'echo',
      version: '1.0.0',
      url: CARD_URL,
      capabilities: { streaming: true },
      defaultInputModes: ['text/plain'],
      defaultOutputModes: ['text/plain'],
      skills: [],
    },
    executor: async (ctx) => `echo: ${ctx.text}`,
    logger: pino({ level: 'silent' }),
    taskStore,
  })
  const { port } = await server.listen({ port: 0, host: '127.0.0.1' })
  return port
}

/** @a2a-js/sdk 1.3 official path: Express 5 + jsonRpcHandler (v0.3 compat on) + DefaultRequestHandler. */
async function sdk() {
  const { default: express } = await import('express')
  const { AgentEvent, DefaultRequestHandler, InMemoryTaskStore } = await import('@a2a-js/sdk/server')
  const { jsonRpcHandler, UserBuilder } = await import('@a2a-js/sdk/server/express')
  const { Role } = await import('@a2a-js/sdk')
  const card = {
    name: 'bench-echo',
    description: 'echo',
    version: '1.0.0',
    supportedInterfaces: [
      { url: CARD_URL, protocolBinding: 'JSONRPC', protocolVersion: '1.0', tenant: '' },
      { url: CARD_URL, protocolBinding: 'JSONRPC', protocolVersion: '0.3', tenant: '' },
    ],
    capabilities: { streaming: true, pushNotifications: false, extensions: [], extendedAgentCard: false },
    securitySchemes: {},
    securityRequirements: [],
    defaultInputModes: ['text/plain'],
    defaultOutputModes: ['text/plain'],
    skills: [],
    signatures: [],
  }
  const executor = {
    async execute(ctx, bus) {
      const part = ctx.userMessage.parts[0]
      const text = part?.content?.$case === 'text' ? part.content.value : ''
      bus.publish(
        AgentEvent.message({
          messageId: randomUUID(),
          contextId: ctx.contextId,
          taskId: '',
          role: Role.ROLE_AGENT,
          parts: [
            {
              content: { $case: 'text', value: `echo: ${text}` },
              metadata: undefined,
              filename: '',
              mediaType: '',
            },
          ],
          metadata: undefined,
          extensions: [],
          referenceTaskIds: [],
        }),
      )
      bus.finished()
    },
    async cancelTask() {},
  }
  const handler = new DefaultRequestHandler(card, new InMemoryTaskStore(), executor)
  const app = express()
  app.use(
    '/',
    jsonRpcHandler({
      requestHandler: handler,
      userBuilder: UserBuilder.noAuthentication,
      legacyCompat: { enabled: true },
    }),
  )
  return new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s.address().port))
  })
}

/** The floor: one hono route that parses the body and returns a fixed-shape Task. */
async function floor() {
  const { Hono } = await import('hono')
  const { serve } = await import('@hono/node-server')
  const app = new Hono()
  app.post('/', async (c) => {
    const body = await c.req.json()
    const text = body?.params?.message?.parts?.[0]?.text ?? ''
    return c.json({
      jsonrpc: '2.0',
      id: body.id,
      result: {
        kind: 'task',
        id: randomUUID(),
        contextId: randomUUID(),
        status: { state: 'completed' },
        artifacts: [{ artifactId: 'a', parts: [{ kind: 'text', text: `echo: ${text}` }] }],
      },
    })
  })
  return new Promise((resolve) => {
    serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info) => resolve(info.port))
  })
}

/** Diagnostic: ours with a store that keeps nothing, to separate the store's cost from the rest. */
function oursNoStore() {
  return ours({ taskStore: { get() {}, set() {}, delete() {} } })
}

export const TARGETS = { ours, sdk, floor, 'ours-nostore': oursNoStore }

/**
 * Child-process entry: start the target (a name of TARGETS, or a path to a build of ours), report its
 * port, answer memory and CPU-time probes over IPC.
 */
export async function serveTarget(name) {
  const port = await (TARGETS[name]?.() ?? ours({ build: name }))
  process.on('message', (msg) => {
    if (msg === 'cpu') process.send?.({ cpu: process.cpuUsage() })
    // A normal exit, so --cpu-prof writes its profile.
    if (msg === 'exit') process.exit(0)
    if (msg === 'memory') {
      globalThis.gc?.()
      process.send?.({ memory: process.memoryUsage() })
    }
  })
  process.send?.({ ready: port })
}
