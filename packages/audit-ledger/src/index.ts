export { AuditLedger, type AuditLedgerOptions, type LedgerEvent } from './audit-ledger.js'
export {
  canonicalJson,
  canonicalRow,
  contentHash,
  deriveLedgerKey,
  LEDGER_KEY_ITERATIONS,
  LEDGER_KEY_SALT,
  type LedgerOperation,
  type LedgerRow,
  ledgerTimestamp,
  rowHmac,
} from './canonical.js'
export { checkpointPayload, loadPublicKey, loadSigningKey, signCheckpoint } from './checkpoint-signing.js'
export { LedgerConfigError, LedgerStoreError } from './ledger-errors.js'
export { type LedgerFromEnvOptions, ledgerFromEnv } from './ledger-from-env.js'
export { LedgerHooks } from './ledger-hooks.js'
export type { ChainTail, Checkpoint, LedgerStore } from './ledger-store.js'
export { DEFAULT_LEDGER_DB, type LedgerLocation, openLedgerStore, parseLedgerLocation } from './open-store.js'
export { PostgresLedgerStore } from './postgres-store.js'
export { SqliteLedgerStore } from './sqlite-store.js'
export { type ChainVerdict, verifyChain, verifyRows } from './verify-chain.js'
export { runVerify, VERIFY_USAGE } from './verify-command.js'
