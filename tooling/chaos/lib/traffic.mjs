// Traffic the scenarios send: user messages into bridge inboxes, A2A calls at a runtime, and the inbox drain.
import { sleep } from './processes.mjs'

export function userMessage(text, id = 1) {
  return {
    jsonrpc: '2.0',
    id,
    method: 'message/send',
    params: { message: { role: 'user', messageId: `m-${text}`, parts: [{ kind: 'text', text }] } },
  }
}

/** A canvas-user message into a poll-mode workspace's inbox (straight to the platform, not through the faults). */
export async function sendToInbox(platformUrl, workspaceId, text) {
  const res = await fetch(`${platformUrl}/workspaces/${workspaceId}/a2a`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(userMessage(text)),
    signal: AbortSignal.timeout(10_000),
  })
  await res.arrayBuffer()
  if (res.status !== 200) throw new Error(`inbox send answered ${res.status}`)
}

/** One A2A `message/send` at a runtime; resolves with the latency in ms, or throws. */
export async function a2aCall(url, text) {
  const started = performance.now()
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(userMessage(text)),
    signal: AbortSignal.timeout(10_000),
  })
  const body = await res.json()
  if (res.status !== 200 || body.error) throw new Error(`A2A answered ${res.status}`)
  return performance.now() - started
}

/**
 * Reads the bridge's merged inbox until every expected text was seen (or `timeoutMs`), popping what it read:
 * the counts per text show lost (0) and redelivered (> 1) messages.
 */
export async function drainInbox(bridge, expected, seen = new Map(), timeoutMs = 60_000) {
  const end = Date.now() + timeoutMs
  const missing = () => expected.filter((text) => !seen.has(text))
  while (missing().length > 0 && Date.now() < end && bridge.alive()) {
    let batch = []
    try {
      const peek = await bridge.call('inbox_peek', { limit: 500 }, 15_000)
      batch = JSON.parse(peek.text || '[]')
    } catch {
      await sleep(200)
      continue
    }
    if (!Array.isArray(batch) || batch.length === 0) {
      await sleep(200)
      continue
    }
    for (const message of batch) {
      seen.set(message.text, (seen.get(message.text) ?? 0) + 1)
      await bridge.call('inbox_pop', { activity_id: message.activity_id }, 15_000).catch(() => {})
    }
  }
  return { seen, missing: missing() }
}
