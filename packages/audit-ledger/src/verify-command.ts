import { parseArgs } from 'node:util'
import { describeError, maskSecrets } from '@molecule/core'
import { deriveLedgerKey } from './canonical.js'
import { loadPublicKey } from './checkpoint-signing.js'
import { LedgerConfigError } from './ledger-errors.js'
import type { LedgerStore } from './ledger-store.js'
import { openLedgerStore, parseLedgerLocation } from './open-store.js'
import { verifyChain } from './verify-chain.js'

export const VERIFY_USAGE = `Usage: molecule-audit-verify --agent-id <id> [--db <path-or-url>] [--public-key <file>]

Verifies the HMAC chain of one agent in the audit ledger.
  --agent-id     the agent (workspace id) whose chain to verify
  --db           SQLite path, sqlite:/// URL or postgresql:// URL (default: AUDIT_LEDGER_DB, else
                 /var/log/molecule/audit_ledger.db)
  --public-key   Ed25519 public key (PEM) of the checkpoints: also detects a truncated or rewritten chain
Needs AUDIT_LEDGER_SALT (the writers' secret).
Exit: 0 valid or empty, 1 broken, 2 configuration error, 3 database error.`

export interface VerifyIo {
  out: (line: string) => void
  err: (line: string) => void
}

/** Runs the verifier; returns the exit code. */
export async function runVerify(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
  io: VerifyIo,
): Promise<number> {
  let values: { 'agent-id'?: string; db?: string; 'public-key'?: string; help?: boolean }
  try {
    values = parseArgs({
      args: [...argv],
      options: {
        'agent-id': { type: 'string' },
        db: { type: 'string' },
        'public-key': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    }).values
  } catch (err) {
    io.err(`${(err as Error).message}\n\n${VERIFY_USAGE}`)
    return 2
  }
  if (values.help) {
    io.out(VERIFY_USAGE)
    return 0
  }
  const agentId = values['agent-id']?.trim()
  let store: LedgerStore | undefined
  try {
    if (!agentId)
      throw new LedgerConfigError('AUDIT_VERIFY_USAGE', `--agent-id is required\n\n${VERIFY_USAGE}`)
    const key = deriveLedgerKey(env.AUDIT_LEDGER_SALT)
    const publicKey = values['public-key'] ? loadPublicKey(values['public-key']) : undefined
    const location = parseLedgerLocation(values.db ?? env.AUDIT_LEDGER_DB)
    store = await openLedgerStore(location, { mustExist: true })
    const verdict = await verifyChain(store, key, agentId, publicKey)
    if (verdict.valid && verdict.events === 0) {
      io.out(`No audit events found for agent_id='${agentId}'`)
      return 0
    }
    if (!verdict.valid) {
      io.out(`CHAIN BROKEN at event ${verdict.brokenAt} (${verdict.reason})`)
      return 1
    }
    io.out(`CHAIN VALID (${verdict.events} events)`)
    if (publicKey) {
      io.out(
        verdict.checkpoint
          ? `Checkpoints: ${verdict.checkpoint.count} signed, the latest covers ${verdict.checkpoint.size} of ${verdict.events} events`
          : 'Checkpoints: none signed for this agent (a truncated tail cannot be detected)',
      )
    }
    return 0
  } catch (err) {
    io.err(maskSecrets(describeError(err)))
    return err instanceof LedgerConfigError ? 2 : 3
  } finally {
    await store?.close().catch(() => {})
  }
}
