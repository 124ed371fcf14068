import type { Logger } from '@molecule/core'
import type { PlatformClient } from '@molecule/platform-client'
import { describeFailure } from '../platform-failure.js'
import { type ApprovalDecision, decisionFromEvent, decisionFromRow } from './decision.js'

export interface WaitForDecisionOptions {
  /** How long to wait at most; then the answer is `undefined` (no decision yet). */
  timeoutMs: number
  /** How often the approvals list is read beside the event stream. */
  pollIntervalMs: number
  signal?: AbortSignal | undefined
  logger: Logger
}

/**
 * Waits for the decision on one approval. The platform's event stream and the approvals list are read at the same
 * time: the stream releases the wait as soon as the decision event arrives, the list catches a decision made
 * before the stream was open (and covers a stream that fails or closes, which is reopened after a poll interval).
 * Resolves `undefined` when `timeoutMs` passes or `signal` aborts first.
 */
export function waitForDecision(
  client: PlatformClient,
  approvalId: string,
  options: WaitForDecisionOptions,
): Promise<ApprovalDecision | undefined> {
  const { logger } = options
  const stop = new AbortController()
  return new Promise((resolve) => {
    let settled = false
    const finish = (decision: ApprovalDecision | undefined) => {
      if (settled) return
      settled = true
      clearTimeout(timer)
      options.signal?.removeEventListener('abort', onAbort)
      stop.abort()
      resolve(decision)
    }
    const onAbort = () => finish(undefined)
    const timer = setTimeout(onAbort, options.timeoutMs)
    if (options.signal?.aborted) return finish(undefined)
    options.signal?.addEventListener('abort', onAbort, { once: true })

    const poll = async () => {
      try {
        const rows = await client.listApprovals({ signal: stop.signal, retry: false })
        const row = rows.find((r) => r.id === approvalId)
        const decision = row && decisionFromRow(row)
        if (decision) finish(decision)
      } catch (err) {
        if (!settled)
          logger.debug({ err: describeFailure(err), approvalId }, 'approval poll failed; retrying')
      }
    }

    const listen = async () => {
      while (!settled) {
        try {
          const events = await client.streamEvents({ signal: stop.signal })
          // Open now: a decision made before this point is only in the list.
          void poll()
          for await (const event of events) {
            const decision = decisionFromEvent(event, approvalId)
            if (decision) return finish(decision)
          }
        } catch (err) {
          if (!settled) logger.debug({ err: describeFailure(err), approvalId }, 'event stream unavailable')
        }
        await pause(options.pollIntervalMs, stop.signal)
      }
    }

    const pollLoop = async () => {
      while (!settled) {
        await poll()
        await pause(options.pollIntervalMs, stop.signal)
      }
    }

    void listen()
    void pollLoop()
  })
}

function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve()
    const done = () => {
      clearTimeout(timer)
      signal.removeEventListener('abort', done)
      resolve()
    }
    const timer = setTimeout(done, ms)
    signal.addEventListener('abort', done, { once: true })
  })
}
