import { createPrivateKey, createPublicKey, type KeyObject, sign, verify } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { canonicalJson } from './canonical.js'
import { LedgerConfigError } from './ledger-errors.js'
import type { Checkpoint } from './ledger-store.js'

/** The bytes a checkpoint signature covers: canonical JSON `{agent_id, last_hmac, size}`. */
export function checkpointPayload(cp: Pick<Checkpoint, 'agentId' | 'size' | 'lastHmac'>): Buffer {
  return Buffer.from(canonicalJson({ agent_id: cp.agentId, last_hmac: cp.lastHmac, size: cp.size }), 'utf8')
}

export function signCheckpoint(
  key: KeyObject,
  cp: Pick<Checkpoint, 'agentId' | 'size' | 'lastHmac'>,
): string {
  return sign(null, checkpointPayload(cp), key).toString('base64')
}

export function checkpointSignatureValid(publicKey: KeyObject, cp: Checkpoint): boolean {
  try {
    return verify(null, checkpointPayload(cp), publicKey, Buffer.from(cp.signature, 'base64'))
  } catch {
    return false
  }
}

function readKey(path: string, what: string, variable: string): string {
  try {
    return readFileSync(path, 'utf8')
  } catch (err) {
    throw new LedgerConfigError(
      'AUDIT_LEDGER_KEY_UNREADABLE',
      `cannot read the ${what} at ${path}: ${(err as Error).message}`,
      {
        path: variable,
        cause: err,
      },
    )
  }
}

function ensureEd25519(key: KeyObject, path: string, variable: string): KeyObject {
  if (key.asymmetricKeyType !== 'ed25519') {
    throw new LedgerConfigError(
      'AUDIT_LEDGER_KEY_TYPE',
      `${path} holds a ${key.asymmetricKeyType} key; checkpoints need Ed25519`,
      {
        path: variable,
        fix: 'Generate one with: openssl genpkey -algorithm ed25519 -out ledger-signing.pem',
      },
    )
  }
  return key
}

/** The Ed25519 private key (PEM) that signs checkpoints (`AUDIT_LEDGER_SIGNING_KEY`). */
export function loadSigningKey(path: string): KeyObject {
  try {
    return ensureEd25519(
      createPrivateKey(readKey(path, 'checkpoint signing key', 'AUDIT_LEDGER_SIGNING_KEY')),
      path,
      'AUDIT_LEDGER_SIGNING_KEY',
    )
  } catch (err) {
    if (err instanceof LedgerConfigError) throw err
    throw new LedgerConfigError(
      'AUDIT_LEDGER_KEY_INVALID',
      `${path} is not a PEM private key: ${(err as Error).message}`,
      {
        path: 'AUDIT_LEDGER_SIGNING_KEY',
        cause: err,
      },
    )
  }
}

/** The public key (PEM; a private key file works too) a verifier checks checkpoints with (`--public-key`). */
export function loadPublicKey(path: string): KeyObject {
  try {
    return ensureEd25519(
      createPublicKey(readKey(path, 'checkpoint public key', '--public-key')),
      path,
      '--public-key',
    )
  } catch (err) {
    if (err instanceof LedgerConfigError) throw err
    throw new LedgerConfigError(
      'AUDIT_LEDGER_KEY_INVALID',
      `${path} is not a PEM public key: ${(err as Error).message}`,
      {
        path: '--public-key',
        cause: err,
      },
    )
  }
}
