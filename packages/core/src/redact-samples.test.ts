import { credentialSamples, leakedPiece, readableSamples, workspaceTokens } from '@molecule/test-support'
import { describe, expect, it } from 'vitest'
import { CENSOR, maskSecrets } from './redact.ts'

describe('maskSecrets on the shared secret samples', () => {
  it('masks all 10,000 generated workspace tokens, alone, in prose, quoted and next to a UUID', () => {
    const leaks: string[] = []
    for (const token of workspaceTokens()) {
      if (maskSecrets(token) !== CENSOR) leaks.push(token)
      const masked = maskSecrets(`registered with ${token}, id 0b6f7c1e-5d2a-4c8e-9a71-2f4d6e8b9c10.`)
      if (masked !== `registered with ${CENSOR}, id 0b6f7c1e-5d2a-4c8e-9a71-2f4d6e8b9c10.`) leaks.push(token)
      if (maskSecrets(`{"workspace":"${token}"}`) !== `{"workspace":"${CENSOR}"}`) leaks.push(token)
    }
    expect(leaks).toEqual([])
  })

  it('masks JWTs, PEM private keys, Slack tokens, password lines and bearer values', () => {
    const samples = credentialSamples()
    expect(new Set(samples.map((s) => s.kind.split(' ')[0]))).toEqual(
      new Set(['jwt', 'pem', 'slack', 'password', 'bearer']),
    )
    for (const sample of samples) {
      const masked = maskSecrets(sample.text)
      expect({ kind: sample.kind, leaked: leakedPiece(masked, sample.secret) }).toEqual({
        kind: sample.kind,
        leaked: undefined,
      })
      expect(masked).toContain(CENSOR)
      expect(maskSecrets(masked)).toBe(masked)
    }
  })

  it('keeps UUIDs and idempotency keys readable', () => {
    for (const text of readableSamples()) expect(maskSecrets(text)).toBe(text)
  })
})
