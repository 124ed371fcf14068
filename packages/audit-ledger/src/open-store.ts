import { isAbsolute, resolve } from 'node:path'
import { LedgerConfigError } from './ledger-errors.js'
import type { LedgerStore } from './ledger-store.js'
import { PostgresLedgerStore } from './postgres-store.js'
import { SqliteLedgerStore } from './sqlite-store.js'

/** Where the ledger lives when `AUDIT_LEDGER_DB` is unset. */
export const DEFAULT_LEDGER_DB = '/var/log/molecule/audit_ledger.db'

export type LedgerLocation = { kind: 'sqlite'; path: string } | { kind: 'postgresql'; url: string }

/**
 * Reads `AUDIT_LEDGER_DB`: a file path (SQLite), `sqlite:///relative` or `sqlite:////absolute` (the SQLAlchemy
 * spelling), or a `postgresql://` / `postgres://` URL.
 */
export function parseLedgerLocation(raw: string | undefined, cwd = process.cwd()): LedgerLocation {
  const value = raw?.trim() || DEFAULT_LEDGER_DB
  if (/^postgres(ql)?(\+\w+)?:\/\//i.test(value)) {
    return { kind: 'postgresql', url: value.replace(/^postgres(ql)?\+\w+:/i, 'postgresql:') }
  }
  if (/^sqlite:/i.test(value)) {
    const rest = value.replace(/^sqlite:\/\/\//i, '')
    if (rest === value || rest === '') {
      throw new LedgerConfigError(
        'AUDIT_LEDGER_DB_INVALID',
        `AUDIT_LEDGER_DB '${value}' is not a usable SQLite URL`,
        {
          path: 'AUDIT_LEDGER_DB',
          fix: 'Use a file path, sqlite:///relative/path.db or sqlite:////absolute/path.db.',
        },
      )
    }
    return { kind: 'sqlite', path: resolve(cwd, rest) }
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) {
    throw new LedgerConfigError(
      'AUDIT_LEDGER_DB_INVALID',
      `AUDIT_LEDGER_DB '${value.split(':')[0]}://…' is neither SQLite nor PostgreSQL`,
      {
        path: 'AUDIT_LEDGER_DB',
        fix: 'Use a file path (SQLite) or a postgresql:// URL.',
      },
    )
  }
  return { kind: 'sqlite', path: isAbsolute(value) ? value : resolve(cwd, value) }
}

export function openLedgerStore(
  location: LedgerLocation,
  options: { mustExist?: boolean } = {},
): Promise<LedgerStore> {
  return location.kind === 'postgresql'
    ? PostgresLedgerStore.open(location.url)
    : SqliteLedgerStore.open(location.path, options)
}
