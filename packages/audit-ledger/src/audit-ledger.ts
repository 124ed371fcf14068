import { type KeyObject, randomUUID } from 'node:crypto'
import { type Logger, silentLogger } from '@molecule/core'
import { type LedgerOperation, type LedgerRow, rowHmac } from './canonical.js'
import { signCheckpoint } from './checkpoint-signing.js'
import type { LedgerStore } from './ledger-store.js'

export interface LedgerEvent {
  agentId: string
  /** The task or conversation the event belongs to. */
  sessionId: string
  operation: LedgerOperation
  inputHash?: string | null
  outputHash?: string | null
  /** The model, or the tool's name for `tool_call`. */
  modelUsed?: string | null
  humanOversightFlag?: boolean
  riskFlag?: boolean
}

export interface AuditLedgerOptions {
  store: LedgerStore
  /** The HMAC key (`deriveLedgerKey(AUDIT_LEDGER_SALT)`). */
  key: Buffer
  /** Ed25519 private key of the checkpoints; none: no checkpoints are written. */
  signingKey?: KeyObject
  /** A checkpoint every this many events of an agent (default 100), and one at `close()`. */
  checkpointEvery?: number
  logger?: Logger
  /** Wall clock in ms, for tests. */
  now?: () => number
}

/**
 * The HMAC-chained ledger: each row carries the HMAC of the previous row of the same agent, so an edit, an insertion
 * or a removal breaks the chain. Timestamps of one agent strictly increase (a microsecond past the previous event
 * when the clock has not moved), so the chain order (timestamp, id) is the order events were written. Appends are
 * atomic in the store; with a signing key, signed checkpoints pin the chain's length and head.
 */
export class AuditLedger {
  readonly #options: AuditLedgerOptions
  readonly #every: number
  readonly #logger: Logger
  /** Per agent: the size and head of its chain after our last append, and whether it has a checkpoint. */
  readonly #heads = new Map<string, { size: number; hmac: string; checkpointed: number }>()

  constructor(options: AuditLedgerOptions) {
    this.#options = options
    this.#every = Math.max(1, options.checkpointEvery ?? 100)
    this.#logger = options.logger ?? silentLogger
  }

  get store(): LedgerStore {
    return this.#options.store
  }

  async append(event: LedgerEvent): Promise<LedgerRow> {
    const { key, store } = this.#options
    const nowMicros = (this.#options.now?.() ?? Date.now()) * 1000
    let size = 0
    const row = await store.append(event.agentId, (tail) => {
      size = (tail?.size ?? 0) + 1
      const unsigned: Omit<LedgerRow, 'hmac'> = {
        id: randomUUID(),
        timestampMicros: tail ? Math.max(nowMicros, tail.timestampMicros + 1) : nowMicros,
        agentId: event.agentId,
        sessionId: event.sessionId,
        operation: event.operation,
        inputHash: event.inputHash ?? null,
        outputHash: event.outputHash ?? null,
        modelUsed: event.modelUsed ?? null,
        humanOversightFlag: event.humanOversightFlag ?? false,
        riskFlag: event.riskFlag ?? false,
        prevHmac: tail?.hmac ?? null,
      }
      return { ...unsigned, hmac: rowHmac(key, unsigned) }
    })
    const head = this.#heads.get(event.agentId)
    this.#heads.set(event.agentId, { size, hmac: row.hmac, checkpointed: head?.checkpointed ?? 0 })
    if (size % this.#every === 0) await this.checkpoint(event.agentId)
    return row
  }

  /** Signs the current head of the agent's chain (as this process last wrote it). No-op without a signing key. */
  async checkpoint(agentId: string): Promise<void> {
    const signingKey = this.#options.signingKey
    const head = this.#heads.get(agentId)
    if (!signingKey || !head || head.checkpointed === head.size) return
    const cp = { agentId, size: head.size, lastHmac: head.hmac }
    await this.#options.store.addCheckpoint({
      ...cp,
      signature: signCheckpoint(signingKey, cp),
      createdAtMicros: (this.#options.now?.() ?? Date.now()) * 1000,
    })
    head.checkpointed = head.size
    this.#logger.debug({ agentId, size: head.size }, 'audit ledger checkpoint signed')
  }

  /** Checkpoints every agent written since the last one, then closes the store. */
  async close(): Promise<void> {
    for (const agentId of this.#heads.keys()) {
      await this.checkpoint(agentId).catch((err: unknown) =>
        this.#logger.warn({ err: (err as Error).message, agentId }, 'audit ledger: final checkpoint failed'),
      )
    }
    await this.#options.store.close()
  }
}
