import type { AgentCard, AgentInterfaceV1 } from '@molecule/adapter-core/a2a'

/**
 * Serialises the card once. The served card is a v0.3 card (what the platform reads) that also
 * carries v1.0 `supportedInterfaces` (one JSON-RPC interface per served protocol version, newest
 * first), so @a2a-js/sdk v1 clients pick the v1.0 JSON-RPC binding and v0.3 clients ignore the extra
 * field; it validates against the v0.3 schema either way.
 */
export function serializeCard(card: AgentCard, versions: readonly string[]): string {
  const url = card.url
  const served: AgentCard = {
    protocolVersion: '0.3.0',
    preferredTransport: 'JSONRPC',
    ...card,
  }
  if (served.supportedInterfaces === undefined) {
    served.supportedInterfaces = versions.map(
      (protocolVersion): AgentInterfaceV1 => ({ url, protocolBinding: 'JSONRPC', protocolVersion }),
    )
  }
  return JSON.stringify(served)
}
