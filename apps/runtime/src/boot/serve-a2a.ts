import { type A2AServer, createA2AServer, InMemoryTaskStore } from '@molecule/a2a-server'
import { unsupportedTranscript } from '@molecule/adapter-core'
import { describeError } from '@molecule/core'
import { advertisedHost, advertisedUrl, type CardInput, servedAgentCard } from '../agent-card.js'
import { BootFailure } from './boot-failure.js'
import type { PreparedAdapter } from './prepare-adapter.js'
import type { ResolvedSettings } from './resolve-settings.js'
import type { InboundSecret, WorkspaceState } from './workspace-state.js'

export interface ServedA2A {
  server: A2AServer
  /** Advertised URL, with the port really bound. */
  url: string
  port: number
  /** The card fields for a given URL; the platform's card is built from the same input. */
  cardInput(url: string): CardInput
}

/**
 * Phase 5. Starts the A2A server: the card at both well-known paths, JSON-RPC at `/` and `/a2a`, task start/end
 * counted in the task activity. The card must name the URL before the server listens, but with port 0 the real
 * port is only known after: then the card is replaced.
 */
export async function serveA2A(
  resolved: ResolvedSettings,
  state: WorkspaceState,
  prepared: PreparedAdapter,
): Promise<ServedA2A> {
  const { config, settings, runtimeEnv, log } = resolved
  const { activity, tokens, inboundSecret } = state
  const { a2a } = config
  const { adapter, executor } = prepared
  const cardInput = (url: string): CardInput => ({
    name: config.name,
    description: config.description,
    version: config.version,
    url,
    streaming: config.a2a.streaming,
    pushNotifications: config.a2a.push_notifications,
    // Read at each call: a skills reload changes what both cards list.
    skills: prepared.skills.loaded,
  })
  const host = advertisedHost(runtimeEnv.hostname, settings.a2aHost)
  const requestedPort = settings.a2aPortOverride ?? config.a2a.port
  const server = createA2AServer({
    card: servedAgentCard(cardInput(advertisedUrl(host, requestedPort))),
    executor,
    logger: log.child({ component: 'a2a' }),
    transcriptToken: () => tokens.read(),
    transcript: (since, limit) =>
      adapter.transcriptLines?.(since, limit) ?? unsupportedTranscript(adapter.name, since),
    pushNotifications: { allowPrivateTargets: settings.pushAllowPrivateTargets },
    taskStore: new InMemoryTaskStore({ maxBytes: a2a.max_store_bytes }),
    listTasks: a2a.list_tasks,
    sendResult: a2a.result,
    ...(a2a.auth === 'bearer' ? { auth: { bearer: () => acceptedBearers(tokens, inboundSecret) } } : {}),
    allowedOrigins: a2a.allowed_origins,
    // The platform reaches the workspace by its advertised name (the card's URL) or an IP literal; HOSTNAME is what
    // the container's own name resolves to on its network.
    allowedHosts: [...a2a.allowed_hosts, ...(runtimeEnv.hostname ? [runtimeEnv.hostname] : [])],
    maxPartBytes: a2a.max_part_bytes,
    maxConcurrentTasks: a2a.max_concurrent_tasks,
    maxQueuedTasks: a2a.max_queued_tasks,
    onTaskStart: (task) => activity.start(task.summary || 'task'),
    onTaskEnd: (task) => {
      activity.recordOutcome(task.state)
      activity.end()
    },
  })
  const listening = await server
    .listen({ port: requestedPort, host: settings.a2aHost })
    .catch((err: unknown) => {
      throw new BootFailure(
        'A2A_LISTEN_FAILED',
        `A2A server could not listen on ${settings.a2aHost}:${requestedPort}: ${describeError(err)}.`,
        1,
        { path: 'a2a.port', fix: 'Free the port or change a2a.port in config.yaml.', cause: err },
      )
    })
  const port = listening.port
  const url = advertisedUrl(host, port)
  if (port !== requestedPort) server.setCard(servedAgentCard(cardInput(url)))
  log.info({ url, bind: `${settings.a2aHost}:${port}` }, 'A2A server listening')
  return { server, url, port, cardInput }
}

/** `a2a.auth: bearer` accepts the workspace token and, once the platform sent one, its inbound secret. */
function acceptedBearers(tokens: { read(): string | undefined }, inbound: InboundSecret): string[] {
  return [tokens.read(), inbound.value].filter((t): t is string => typeof t === 'string' && t.length > 0)
}
