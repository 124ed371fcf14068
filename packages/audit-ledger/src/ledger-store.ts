import type { LedgerRow } from './canonical.js'

/** A signed statement that the chain of `agentId` had `size` events, the last with `lastHmac`. */
export interface Checkpoint {
  agentId: string
  size: number
  lastHmac: string
  /** Ed25519 signature (base64) of the checkpoint's canonical JSON `{agent_id, last_hmac, size}`. */
  signature: string
  createdAtMicros: number
}

/** The tail of an agent's chain, as an append needs it. */
export interface ChainTail {
  hmac: string
  timestampMicros: number
  size: number
}

/** Where the ledger lives: a SQLite file or a PostgreSQL database, both with the platform's `audit_events` table. */
export interface LedgerStore {
  /** The driver, for messages: `sqlite` or `postgresql`. */
  readonly kind: string
  /**
   * Appends one row atomically: `build` receives the agent's current tail (none for a first event) and returns the
   * row to insert; no other append of the same agent runs in between, in this process or another.
   */
  append(agentId: string, build: (tail: ChainTail | undefined) => LedgerRow): Promise<LedgerRow>
  /** The agent's rows in chain order: timestamp, then id. */
  rows(agentId: string): Promise<LedgerRow[]>
  addCheckpoint(checkpoint: Checkpoint): Promise<void>
  checkpoints(agentId: string): Promise<Checkpoint[]>
  close(): Promise<void>
}
