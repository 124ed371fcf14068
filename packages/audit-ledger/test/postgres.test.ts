import { randomUUID } from 'node:crypto'
import { type TestPostgres, testPostgres } from '@molecule/test-support'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { AuditLedger } from '../src/audit-ledger.js'
import { deriveLedgerKey } from '../src/canonical.js'
import { PostgresLedgerStore } from '../src/postgres-store.js'
import { verifyRows } from '../src/verify-chain.js'
import { ledgerDriverSuite } from './driver-suite.js'
import { SECRET } from './scenarios.js'

let server: TestPostgres
beforeAll(async () => {
  server = await testPostgres()
}, 120_000)
afterAll(async () => server?.stop())

ledgerDriverSuite('PostgreSQL', {
  db: () => server.url,
  open: () => PostgresLedgerStore.open(server.url),
  async exec(sql, params) {
    const client = new pg.Client({ connectionString: server.url })
    await client.connect()
    try {
      await client.query(sql, params)
    } finally {
      await client.end()
    }
  },
  unreachableDb: 'postgresql://nobody@127.0.0.1:1/none',
})

describe('PostgreSQL ledger details', () => {
  it('two writers (two pools, as two processes) build one valid chain per agent', async () => {
    const key = deriveLedgerKey(SECRET)
    const sharedAgent = `shared-agent-${randomUUID()}`
    const stores = [await PostgresLedgerStore.open(server.url), await PostgresLedgerStore.open(server.url)]
    const ledgers = stores.map((store) => new AuditLedger({ store, key }))
    await Promise.all(
      ledgers.flatMap((ledger, w) =>
        Array.from({ length: 15 }, (_, i) =>
          ledger.append({
            agentId: sharedAgent,
            sessionId: `w${w}`,
            operation: 'tool_call',
            modelUsed: `t${i}`,
          }),
        ),
      ),
    )
    const rows = await stores[0]?.rows(sharedAgent)
    expect(rows).toHaveLength(30)
    expect(verifyRows(key, rows ?? [])).toEqual({ valid: true, events: 30 })
    for (const ledger of ledgers) await ledger.close()
  })
})
