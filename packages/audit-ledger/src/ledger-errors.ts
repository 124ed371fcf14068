import { MoleculeError } from '@molecule/core'

/** The ledger cannot be used as configured (no `AUDIT_LEDGER_SALT`, a bad `AUDIT_LEDGER_DB`, an unreadable key). */
export class LedgerConfigError extends MoleculeError {}

/** The ledger's database failed (cannot open, connect, create the table, read or write). */
export class LedgerStoreError extends MoleculeError {}
