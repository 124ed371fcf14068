import { credentialSamples, leakedPiece, readableSamples, workspaceTokens } from '@molecule/test-support'
import { describe, expect, it } from 'vitest'
import { redactSecrets } from './redact.js'

describe('redactSecrets', () => {
  it('replaces provider keys', () => {
    const text = `key sk-${'a'.repeat(24)} and ghp_${'b'.repeat(36)} and AKIA${'C'.repeat(16)} and github_pat_${'d'.repeat(82)}`
    const out = redactSecrets(text)
    expect(out).toBe('key [REDACTED] and [REDACTED] and [REDACTED] and [REDACTED]')
  })

  it('keeps the keyword of an assignment', () => {
    expect(redactSecrets(`api_key = ${'Z'.repeat(44)}==`)).toBe('api_key = [REDACTED]')
    expect(redactSecrets(`password=${'x'.repeat(40)}`)).toBe('password=[REDACTED]')
  })

  it('leaves short look-alikes and prose alone, and is idempotent', () => {
    const prose = `sk-test, ghp_${'a'.repeat(10)}, AKIA123; the task-list is fine`
    expect(redactSecrets(prose)).toBe(prose)
    const once = redactSecrets(`sk-${'q'.repeat(30)} token=${'y'.repeat(20)}`)
    expect(redactSecrets(once)).toBe(once)
  })

  it('masks the value of a token field, however short (it is a credential by name)', () => {
    expect(redactSecrets(`token=${'y'.repeat(20)}; the task-list is fine`)).toBe(
      'token=[REDACTED]; the task-list is fine',
    )
  })

  it('masks all 10,000 generated workspace tokens and every shared credential sample', () => {
    const leaks = workspaceTokens().filter((token) =>
      redactSecrets(`remember ${token} for later`).includes(token),
    )
    expect(leaks).toEqual([])
    for (const sample of credentialSamples()) {
      expect({ kind: sample.kind, leaked: leakedPiece(redactSecrets(sample.text), sample.secret) }).toEqual({
        kind: sample.kind,
        leaked: undefined,
      })
    }
  })

  it('keeps UUIDs readable', () => {
    for (const text of readableSamples()) expect(redactSecrets(text)).toBe(text)
  })
})
