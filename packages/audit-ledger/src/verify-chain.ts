import { type KeyObject, timingSafeEqual } from 'node:crypto'
import { type LedgerRow, rowHmac } from './canonical.js'
import { checkpointSignatureValid } from './checkpoint-signing.js'
import type { LedgerStore } from './ledger-store.js'

export type ChainVerdict =
  | { valid: true; events: number; checkpoint?: { size: number; count: number } | undefined }
  | { valid: false; events: number; brokenAt: string; reason: string }

function same(a: string | null, b: string | null): boolean {
  const x = Buffer.from(a ?? '')
  const y = Buffer.from(b ?? '')
  return x.length === y.length && timingSafeEqual(x, y)
}

const short = (value: string | null) => `${(value ?? '').slice(0, 12)}...`

/** Walks the rows in chain order: each stored HMAC must be the recomputed one and link to the previous row. */
export function verifyRows(key: Buffer, rows: readonly LedgerRow[]): ChainVerdict {
  let previous: string | null = null
  for (const row of rows) {
    const { hmac, ...unsigned } = row
    const computed = rowHmac(key, unsigned)
    if (!same(hmac, computed)) {
      return {
        valid: false,
        events: rows.length,
        brokenAt: row.id,
        reason: `HMAC mismatch: stored=${short(hmac)} computed=${short(computed)}`,
      }
    }
    if (!same(row.prevHmac, previous)) {
      return {
        valid: false,
        events: rows.length,
        brokenAt: row.id,
        reason: `prev_hmac mismatch: stored=${short(row.prevHmac)} expected=${short(previous)}`,
      }
    }
    previous = row.hmac
  }
  return { valid: true, events: rows.length }
}

/**
 * Verifies an agent's chain; with the checkpoint public key also its signed checkpoints: every signature must hold
 * and the chain must still contain each checkpoint's head at its position, so a truncated tail or a rewritten
 * chain (even one re-signed with the HMAC key) is detected.
 */
export async function verifyChain(
  store: LedgerStore,
  key: Buffer,
  agentId: string,
  publicKey?: KeyObject,
): Promise<ChainVerdict> {
  const rows = await store.rows(agentId)
  const verdict = verifyRows(key, rows)
  if (!verdict.valid || !publicKey) return verdict
  const checkpoints = await store.checkpoints(agentId)
  for (const cp of checkpoints) {
    const where = `#${cp.size}`
    if (!checkpointSignatureValid(publicKey, cp)) {
      return { valid: false, events: rows.length, brokenAt: where, reason: 'checkpoint signature invalid' }
    }
    const row = rows[cp.size - 1]
    if (!row) {
      return {
        valid: false,
        events: rows.length,
        brokenAt: where,
        reason: `truncated: a signed checkpoint covers ${cp.size} events, the chain has ${rows.length}`,
      }
    }
    if (!same(row.hmac, cp.lastHmac)) {
      return {
        valid: false,
        events: rows.length,
        brokenAt: row.id,
        reason: `checkpoint mismatch: signed head=${short(cp.lastHmac)} stored=${short(row.hmac)}`,
      }
    }
  }
  const latest = checkpoints.at(-1)
  return {
    valid: true,
    events: rows.length,
    checkpoint: latest && { size: latest.size, count: checkpoints.length },
  }
}
