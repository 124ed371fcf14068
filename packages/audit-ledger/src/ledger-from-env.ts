import type { Logger } from '@molecule/core'
import { AuditLedger } from './audit-ledger.js'
import { deriveLedgerKey } from './canonical.js'
import { loadSigningKey } from './checkpoint-signing.js'
import { openLedgerStore, parseLedgerLocation } from './open-store.js'

export interface LedgerFromEnvOptions {
  logger?: Logger
  /** Base of a relative `AUDIT_LEDGER_DB`; default the working directory. */
  cwd?: string
  checkpointEvery?: number
}

/**
 * The ledger the environment asks for, or undefined when `AUDIT_LEDGER_SALT` is unset (the ledger is off):
 * `AUDIT_LEDGER_DB` (SQLite path or PostgreSQL URL), `AUDIT_LEDGER_SIGNING_KEY` (Ed25519 PEM that signs
 * checkpoints), `AUDIT_LEDGER_CHECKPOINT_EVERY` (events between checkpoints, default 100).
 */
export async function ledgerFromEnv(
  env: Readonly<Record<string, string | undefined>>,
  options: LedgerFromEnvOptions = {},
): Promise<AuditLedger | undefined> {
  if (!env.AUDIT_LEDGER_SALT) return undefined
  const key = deriveLedgerKey(env.AUDIT_LEDGER_SALT)
  const signingKeyPath = env.AUDIT_LEDGER_SIGNING_KEY?.trim()
  const signingKey = signingKeyPath ? loadSigningKey(signingKeyPath) : undefined
  const every = Number(env.AUDIT_LEDGER_CHECKPOINT_EVERY)
  const store = await openLedgerStore(parseLedgerLocation(env.AUDIT_LEDGER_DB, options.cwd))
  return new AuditLedger({
    store,
    key,
    ...(signingKey ? { signingKey } : {}),
    checkpointEvery: Number.isInteger(every) && every > 0 ? every : (options.checkpointEvery ?? 100),
    ...(options.logger ? { logger: options.logger } : {}),
  })
}
