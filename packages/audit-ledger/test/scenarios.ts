import { execFile } from 'node:child_process'
import { generateKeyPairSync } from 'node:crypto'
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { AuditLedger } from '../src/audit-ledger.js'
import { deriveLedgerKey } from '../src/canonical.js'
import type { LedgerStore } from '../src/ledger-store.js'

export const BIN = join(dirname(fileURLToPath(import.meta.url)), '..', 'bin', 'molecule-audit-verify.js')
export const SECRET = 'scenario-secret-5c1f0e2a' // secret-scan: allow

export function assertBuilt(): void {
  if (!existsSync(join(dirname(BIN), '..', 'dist', 'verify-cli.js'))) {
    throw new Error(
      'packages/audit-ledger/dist is missing: run "pnpm --filter @molecule/audit-ledger build" first',
    )
  }
}

/** Runs the real `molecule-audit-verify` bin. */
export function verifyBin(
  args: string[],
  env: Record<string, string> = { AUDIT_LEDGER_SALT: SECRET },
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [BIN, ...args],
      { env: { PATH: process.env.PATH ?? '', ...env }, timeout: 30_000 },
      (err, stdout, stderr) => {
        const code = err ? (typeof err.code === 'number' ? err.code : -1) : 0
        resolve({ code, stdout, stderr })
      },
    )
  })
}

/** A fresh Ed25519 key pair as PEM files; returns their paths. */
export function keyFiles(): { privateKey: string; publicKey: string } {
  const dir = mkdtempSync(join(tmpdir(), 'ledger-keys-'))
  const pair = generateKeyPairSync('ed25519')
  const privateKey = join(dir, 'signing.pem')
  const publicKey = join(dir, 'signing.pub.pem')
  writeFileSync(privateKey, pair.privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 })
  writeFileSync(publicKey, pair.publicKey.export({ type: 'spki', format: 'pem' }))
  return { privateKey, publicKey }
}

/** Writes `count` events of one agent's task (start, tool calls, end) and closes the ledger (final checkpoint). */
export async function writeChain(
  store: LedgerStore,
  agentId: string,
  count: number,
  options: { signingKey?: string; checkpointEvery?: number } = {},
): Promise<void> {
  const { createPrivateKey } = await import('node:crypto')
  const { readFileSync } = await import('node:fs')
  const ledger = new AuditLedger({
    store,
    key: deriveLedgerKey(SECRET),
    ...(options.signingKey ? { signingKey: createPrivateKey(readFileSync(options.signingKey, 'utf8')) } : {}),
    checkpointEvery: options.checkpointEvery ?? 1000,
  })
  for (let i = 0; i < count; i++) {
    const operation = i === 0 ? 'task_start' : i === count - 1 ? 'task_end' : 'tool_call'
    await ledger.append({
      agentId,
      sessionId: 'task-1',
      operation,
      modelUsed: operation === 'tool_call' ? `tool-${i}` : null,
      inputHash: `${i}`.padStart(64, '0'),
    })
  }
  await ledger.close()
}
