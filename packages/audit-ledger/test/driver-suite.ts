import { randomUUID } from 'node:crypto'
import { beforeAll, describe, expect, it } from 'vitest'
import type { LedgerStore } from '../src/ledger-store.js'
import { assertBuilt, keyFiles, SECRET, verifyBin, writeChain } from './scenarios.js'

export interface DriverUnderTest {
  /** `--db` value of the ledger. */
  db: () => string
  open: () => Promise<LedgerStore>
  /** Runs a statement against the ledger's database directly (the attacker's access). */
  exec: (sql: string, params: unknown[]) => Promise<void>
  /** A `--db` value whose database cannot be opened. */
  unreachableDb: string
}

/** The same chain, tamper and verify scenarios for every storage driver, through the real verifier bin. */
export function ledgerDriverSuite(name: string, driver: DriverUnderTest): void {
  describe(`${name}: chains verified by molecule-audit-verify`, () => {
    let keys: { privateKey: string; publicKey: string }
    // Agent ids unique to this run: a database given by MOLECULE_TEST_PG_URL may be shared and outlive the run.
    const run = randomUUID().slice(0, 8)
    const agent = (name: string) => `${name}-${run}`
    const verify = (agent: string, extra: string[] = []) =>
      verifyBin(['--agent-id', agent, '--db', driver.db(), ...extra])
    const chain = async (agent: string, count: number) => {
      const store = await driver.open()
      await writeChain(store, agent, count, { signingKey: keys.privateKey, checkpointEvery: 4 })
      const reader = await driver.open()
      const rows = await reader.rows(agent)
      await reader.close()
      return rows
    }

    beforeAll(() => {
      assertBuilt()
      keys = keyFiles()
    })

    it('a written chain is valid, per agent, with its signed checkpoints', async () => {
      const rows = await chain(agent('agent-valid'), 6)
      await chain(agent('agent-other'), 3)
      expect(rows.map((r) => r.operation)).toEqual([
        'task_start',
        'tool_call',
        'tool_call',
        'tool_call',
        'tool_call',
        'task_end',
      ])
      expect(rows[0]?.prevHmac).toBeNull()
      expect(rows[1]?.prevHmac).toBe(rows[0]?.hmac)
      const plain = await verify(agent('agent-valid'))
      expect(plain).toMatchObject({ code: 0, stdout: 'CHAIN VALID (6 events)\n' })
      const signed = await verify(agent('agent-valid'), ['--public-key', keys.publicKey])
      expect(signed.code).toBe(0)
      expect(signed.stdout).toBe(
        'CHAIN VALID (6 events)\nCheckpoints: 2 signed, the latest covers 6 of 6 events\n',
      )
      expect(await verify('nobody')).toMatchObject({
        code: 0,
        stdout: "No audit events found for agent_id='nobody'\n",
      })
    })

    it('a tampered row is detected (exit 1, HMAC mismatch at that row)', async () => {
      const rows = await chain(agent('agent-tampered'), 5)
      await driver.exec('UPDATE audit_events SET model_used = $1 WHERE id = $2', [
        'innocent_tool',
        rows[2]?.id,
      ])
      const result = await verify(agent('agent-tampered'))
      expect(result.code).toBe(1)
      expect(result.stdout).toMatch(
        new RegExp(
          `^CHAIN BROKEN at event ${rows[2]?.id} \\(HMAC mismatch: stored=[0-9a-f]{12}\\.\\.\\. computed=[0-9a-f]{12}\\.\\.\\.\\)\\n$`,
        ),
      )
    })

    it('a deleted row is detected (exit 1, prev_hmac mismatch at the next row)', async () => {
      const rows = await chain(agent('agent-deleted'), 5)
      await driver.exec('DELETE FROM audit_events WHERE id = $1', [rows[2]?.id])
      const result = await verify(agent('agent-deleted'))
      expect(result.code).toBe(1)
      expect(result.stdout).toMatch(
        new RegExp(`^CHAIN BROKEN at event ${rows[3]?.id} \\(prev_hmac mismatch: stored=`),
      )
    })

    it('a truncated tail is detected with the checkpoint public key (exit 1)', async () => {
      const rows = await chain(agent('agent-truncated'), 6)
      for (const row of rows.slice(4)) await driver.exec('DELETE FROM audit_events WHERE id = $1', [row.id])
      // The HMAC chain alone cannot see a cut at the end: what remains is a valid chain.
      expect(await verify(agent('agent-truncated'))).toMatchObject({
        code: 0,
        stdout: 'CHAIN VALID (4 events)\n',
      })
      const signed = await verify(agent('agent-truncated'), ['--public-key', keys.publicKey])
      expect(signed.code).toBe(1)
      expect(signed.stdout).toBe(
        'CHAIN BROKEN at event #6 (truncated: a signed checkpoint covers 6 events, the chain has 4)\n',
      )
    })

    it('a chain rewritten with the HMAC secret still fails the signed checkpoint', async () => {
      const rows = await chain(agent('agent-rewritten'), 4)
      const store = await driver.open()
      await driver.exec('DELETE FROM audit_events WHERE agent_id = $1', [agent('agent-rewritten')])
      await writeChain(store, agent('agent-rewritten'), 4) // same secret, no signing key: a forger without the private key
      const result = await verify(agent('agent-rewritten'), ['--public-key', keys.publicKey])
      expect(result.code).toBe(1)
      expect(result.stdout).toContain('checkpoint mismatch')
      expect(rows).toHaveLength(4)
    })

    it('exit 2 without AUDIT_LEDGER_SALT, 3 when the database cannot be used', async () => {
      const noSalt = await verifyBin(['--agent-id', agent('agent-valid'), '--db', driver.db()], {})
      expect(noSalt.code).toBe(2)
      expect(noSalt.stderr).toContain('AUDIT_LEDGER_SALT is not set')
      expect(noSalt.stderr).not.toMatch(/\n\s+at /)
      const noDb = await verifyBin(['--agent-id', 'x', '--db', driver.unreachableDb], {
        AUDIT_LEDGER_SALT: SECRET,
      })
      expect(noDb.code).toBe(3)
      expect(noDb.stderr).toMatch(/cannot (open|use) the audit ledger/)
      expect((await verifyBin([], { AUDIT_LEDGER_SALT: SECRET })).code).toBe(2)
    })
  })
}
