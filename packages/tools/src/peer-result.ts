/**
 * Peer replies are untrusted text that the agent reads as part of its own context. They are wrapped between
 * marker lines so the agent can tell where the peer's words end, and any marker-looking text the peer sends
 * is escaped so a peer cannot close the block early and speak as the tool.
 */
export const PEER_RESULT_OPEN = '[A2A_RESULT_FROM_PEER]'
export const PEER_RESULT_CLOSE = '[/A2A_RESULT_FROM_PEER]'

const MARKER = /\[(\/?)\s*A2A_RESULT_FROM_PEER\s*\]/gi

export function escapePeerMarkers(text: string): string {
  return text.replace(MARKER, (_m, slash: string) => `[/ ${slash}A2A_RESULT_FROM_PEER]`)
}

export function wrapPeerResult(text: string): string {
  return `${PEER_RESULT_OPEN}\n${escapePeerMarkers(text)}\n${PEER_RESULT_CLOSE}`
}
