import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { describe, expect, it } from 'vitest'
import { AuditLedger } from '../src/audit-ledger.js'
import { deriveLedgerKey } from '../src/canonical.js'
import { parseLedgerLocation } from '../src/open-store.js'
import { SqliteLedgerStore } from '../src/sqlite-store.js'
import { verifyRows } from '../src/verify-chain.js'
import { ledgerDriverSuite } from './driver-suite.js'
import { SECRET } from './scenarios.js'

const path = join(mkdtempSync(join(tmpdir(), 'ledger-sqlite-')), 'nested', 'audit_ledger.db')

ledgerDriverSuite('SQLite', {
  db: () => path,
  open: () => SqliteLedgerStore.open(path),
  async exec(sql, params) {
    const db = new Database(path)
    try {
      db.prepare(sql.replace(/\$\d+/g, '?')).run(...params)
    } finally {
      db.close()
    }
  },
  unreachableDb: join(tmpdir(), 'no-such-dir-for-ledger', 'missing.db'),
})

describe('SQLite ledger details', () => {
  it('keeps chain order for events within one millisecond (strictly increasing timestamps)', async () => {
    const store = await SqliteLedgerStore.open(join(mkdtempSync(join(tmpdir(), 'ledger-ms-')), 'l.db'))
    const ledger = new AuditLedger({ store, key: deriveLedgerKey(SECRET), now: () => 1_765_000_000_000 })
    for (let i = 0; i < 20; i++)
      await ledger.append({ agentId: 'a', sessionId: 's', operation: 'tool_call', modelUsed: `t${i}` })
    const rows = await store.rows('a')
    expect(rows.map((r) => r.modelUsed)).toEqual(Array.from({ length: 20 }, (_, i) => `t${i}`))
    expect(verifyRows(deriveLedgerKey(SECRET), rows)).toEqual({ valid: true, events: 20 })
    await ledger.close()
  })

  it('reads AUDIT_LEDGER_DB as a path or a SQLAlchemy-style URL', () => {
    expect(parseLedgerLocation('/var/x.db')).toEqual({ kind: 'sqlite', path: '/var/x.db' })
    expect(parseLedgerLocation('sqlite:////abs/x.db')).toEqual({ kind: 'sqlite', path: '/abs/x.db' })
    expect(parseLedgerLocation('sqlite:///rel/x.db', '/base')).toEqual({
      kind: 'sqlite',
      path: '/base/rel/x.db',
    })
    expect(parseLedgerLocation('postgres://u:p@h/db')).toEqual({
      kind: 'postgresql',
      url: 'postgres://u:p@h/db',
    })
    expect(parseLedgerLocation('postgresql+psycopg2://h/db')).toEqual({
      kind: 'postgresql',
      url: 'postgresql://h/db',
    })
    expect(parseLedgerLocation(undefined)).toEqual({
      kind: 'sqlite',
      path: '/var/log/molecule/audit_ledger.db',
    })
    expect(() => parseLedgerLocation('mysql://h/db')).toThrow(/neither SQLite nor PostgreSQL/)
  })
})
