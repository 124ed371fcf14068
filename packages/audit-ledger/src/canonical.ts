import { createHash, createHmac, pbkdf2Sync } from 'node:crypto'
import { LedgerConfigError } from './ledger-errors.js'

/** The fixed PBKDF2 salt of the ledger key. Never change it, nor the iterations: every stored chain depends on them. */
export const LEDGER_KEY_SALT = 'molecule-audit-ledger-v1'
export const LEDGER_KEY_ITERATIONS = 210_000

/** The four kinds of ledger event. */
export type LedgerOperation = 'task_start' | 'llm_call' | 'tool_call' | 'task_end'

/** One row of `audit_events`. `timestampMicros` is UTC microseconds since the epoch (the column's precision). */
export interface LedgerRow {
  id: string
  timestampMicros: number
  agentId: string
  sessionId: string
  operation: LedgerOperation | string
  inputHash: string | null
  outputHash: string | null
  modelUsed: string | null
  humanOversightFlag: boolean
  riskFlag: boolean
  prevHmac: string | null
  hmac: string
}

/** The HMAC key: PBKDF2-HMAC-SHA256 of `AUDIT_LEDGER_SALT` (the password) with the fixed salt, 32 bytes. */
export function deriveLedgerKey(secret: string | undefined): Buffer {
  if (!secret) {
    throw new LedgerConfigError(
      'AUDIT_LEDGER_SALT_MISSING',
      'AUDIT_LEDGER_SALT is not set: the audit ledger has no key',
      {
        path: 'AUDIT_LEDGER_SALT',
        fix: 'Set AUDIT_LEDGER_SALT to a secret of 32 random bytes in hex (openssl rand -hex 32), the same for every writer and verifier of the ledger.',
      },
    )
  }
  return pbkdf2Sync(Buffer.from(secret, 'utf8'), LEDGER_KEY_SALT, LEDGER_KEY_ITERATIONS, 32, 'sha256')
}

/** `YYYY-MM-DDTHH:MM:SSZ` (UTC, whole seconds): the timestamp as the HMAC covers it. */
export function ledgerTimestamp(micros: number): string {
  return `${new Date(Math.floor(micros / 1000)).toISOString().slice(0, 19)}Z`
}

/**
 * JSON with keys sorted at every level, `,` and `:` without spaces, and every character outside ASCII written as a
 * `\uXXXX` escape: the bytes the platform's writers and verifier hash.
 */
export function canonicalJson(value: unknown): string {
  const sorted = JSON.stringify(value, (_key, v: unknown) => {
    if (v === null || typeof v !== 'object' || Array.isArray(v)) return v
    return Object.fromEntries(
      Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
    )
  })
  return sorted.replace(/[\u0080-\uffff]/g, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`)
}

/** The HMAC input of a row: its eleven fields other than `hmac`. */
export function canonicalRow(row: Omit<LedgerRow, 'hmac'>): string {
  return canonicalJson({
    id: row.id,
    timestamp: ledgerTimestamp(row.timestampMicros),
    agent_id: row.agentId,
    session_id: row.sessionId,
    operation: row.operation,
    input_hash: row.inputHash,
    output_hash: row.outputHash,
    model_used: row.modelUsed,
    human_oversight_flag: row.humanOversightFlag,
    risk_flag: row.riskFlag,
    prev_hmac: row.prevHmac,
  })
}

export function rowHmac(key: Buffer, row: Omit<LedgerRow, 'hmac'>): string {
  return createHmac('sha256', key).update(canonicalRow(row), 'utf8').digest('hex')
}

/** SHA-256 hex of text (utf-8), of other data as canonical JSON; `null` for null or undefined. */
export function contentHash(data: unknown): string | null {
  if (data === null || data === undefined) return null
  const text = typeof data === 'string' ? data : canonicalJson(data)
  return createHash('sha256').update(text, 'utf8').digest('hex')
}
