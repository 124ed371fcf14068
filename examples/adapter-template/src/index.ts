import { type AdapterConfig, defineAdapter, type SetupResult } from '@molecule/adapter-core'

type BoundTool = SetupResult['tools'][number]
type ToolCallContext = Parameters<BoundTool['run']>[0]

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
const ASK = /^ask\s+([^:\s]+)\s*:\s*([\s\S]+)$/i

/** Parses `ask <peer>: <task>`; anything else is not a delegation. */
export function parseAsk(text: string): { peer: string; task: string } | undefined {
  const match = ASK.exec(text.trim())
  if (!match?.[1] || !match[2]) return undefined
  return { peer: match[1], task: match[2].trim() }
}

/** Finds a peer's workspace id by name in a `list_peers` result (structured data first, then text lines). */
export function findPeerId(peer: string, listing: { text: string; data?: unknown }): string | undefined {
  if (UUID.test(peer)) return peer
  const wanted = peer.toLowerCase()
  const rows = Array.isArray(listing.data)
    ? listing.data
    : Array.isArray((listing.data as { peers?: unknown })?.peers)
      ? (listing.data as { peers: unknown[] }).peers
      : []
  for (const row of rows) {
    const { id, name } = (row ?? {}) as { id?: unknown; name?: unknown }
    if (typeof id === 'string' && typeof name === 'string' && name.toLowerCase() === wanted) return id
  }
  for (const line of listing.text.split('\n')) {
    const id = line.match(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i)?.[0]
    if (id && new RegExp(`\\b${wanted.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\b`, 'i').test(line)) return id
  }
  return undefined
}

/**
 * delegate_task wraps a peer's reply in `[A2A_RESULT_FROM_PEER]` markers so an LLM treats it as data, not
 * instructions. This adapter shows the reply to a human, so it drops the markers.
 */
export function unwrapPeerResult(text: string): string {
  return text.replace(/^\s*\[A2A_RESULT_FROM_PEER\]\s*/, '').replace(/\s*\[\/A2A_RESULT_FROM_PEER\]\s*$/, '')
}

function resultText(result: Awaited<ReturnType<BoundTool['run']>>): { text: string; data?: unknown } {
  return typeof result === 'string' ? { text: result } : result
}

/**
 * The adapter a template author starts from. Plain messages are echoed back; `ask <peer>: <task>` is handed to
 * the peer workspace with the runtime's built-in `delegate_task` tool and the peer's answer becomes the reply.
 * It imports nothing but `@molecule/adapter-core`: the runtime supplies the tools (already bound to this
 * workspace) in `config.setup.tools`.
 */
export const Adapter = defineAdapter({
  name: 'example-relay',
  displayName: 'Example relay',
  description: 'Echoes messages; delegates "ask <peer>: <task>" to a peer workspace.',
  createExecutor(config: AdapterConfig) {
    const tools = new Map((config.setup?.tools ?? []).map((tool) => [tool.name, tool]))
    return async (ctx, events) => {
      const ask = parseAsk(ctx.text)
      if (!ask) return `You said: ${ctx.text}`
      const delegate = tools.get('delegate_task')
      if (!delegate) return 'Error: this runtime provides no delegate_task tool.'
      // The runtime fills every field the adapter leaves out (platform client, workspace id, logger).
      const call = { signal: ctx.signal } as ToolCallContext
      let peerId: string | undefined = UUID.test(ask.peer) ? ask.peer : undefined
      if (!peerId) {
        const listPeers = tools.get('list_peers')
        if (listPeers) peerId = findPeerId(ask.peer, resultText(await listPeers.run(call, {})))
      }
      if (!peerId) return `Error: no peer named "${ask.peer}" is reachable from this workspace.`
      events.status(`Asking ${ask.peer}…`)
      const answer = resultText(await delegate.run(call, { workspace_id: peerId, task: ask.task }))
      return `${ask.peer} says: ${unwrapPeerResult(answer.text)}`
    }
  },
})

export default Adapter
