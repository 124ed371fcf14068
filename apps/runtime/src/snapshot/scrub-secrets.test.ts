import { rememberSecret } from '@molecule/core'
import { credentialSamples, leakedPiece, readableSamples, workspaceTokens } from '@molecule/test-support'
import { describe, expect, it } from 'vitest'
import { deepScrub, isSandboxContent, scrubContent } from './scrub-secrets.js'

describe('scrubContent', () => {
  it.each([
    ['OPENAI_API_KEY=sk-abcdefghijklmnopqrstuv', 'OPENAI_API_KEY=[REDACTED:API_KEY]'],
    ['GH_TOKEN=abc123', 'GH_TOKEN=[REDACTED:TOKEN]'],
    ['client_secret=hunter2 rest', 'client_secret=[REDACTED:SECRET] rest'],
    ['Authorization: Bearer abc.def', 'Authorization: [REDACTED:BEARER_TOKEN]'],
    ['key sk-ABCDEFGHIJKLMNOP1234', 'key [REDACTED:SK_TOKEN]'],
    [`pat ghp_${'a'.repeat(20)}`, 'pat [REDACTED:GITHUB_PAT]'],
    [`srv ghs_${'b'.repeat(24)}`, 'srv [REDACTED:GITHUB_SERVER_TOKEN]'],
    [`v2 github_pat_${'c'.repeat(60)}`, 'v2 [REDACTED:GITHUB_PAT_V2]'],
    [`aws ${'AKIA'}ABCDEFGHIJKLMNOP end`, 'aws [REDACTED:AWS_ACCESS_KEY] end'],
    [`cf cfut_${'d'.repeat(32)}`, 'cf [REDACTED:CF_TOKEN]'],
    [`mol mol_pk_${'e'.repeat(20)}`, 'mol [REDACTED:MOL_PK]'],
    ['ctx ctx7_abc123', 'ctx [REDACTED:CTX7_TOKEN]'],
    [`blob ${'Q'.repeat(40)}==`, 'blob [REDACTED:BASE64_BLOB]'],
  ])('redacts %s', (input, expected) => {
    expect(scrubContent(input)).toBe(expected)
  })

  it('leaves prose and short look-alikes alone', () => {
    const text = 'sk-short and ghp_tiny and AKIA123 are fine; so is a normal sentence.'
    expect(scrubContent(text)).toBe(text)
  })

  it('is idempotent', () => {
    const once = scrubContent('X_API_KEY=abc Bearer tok sk-ABCDEFGHIJKLMNOP1234')
    expect(scrubContent(once)).toBe(once)
  })
})

describe('scrubContent on the shared secret samples', () => {
  it('leaves no piece of any of 10,000 generated workspace tokens', () => {
    const leaks = workspaceTokens().filter((token) => {
      const out = scrubContent(`resume with ${token} then stop`)
      return leakedPiece(out, token) !== undefined || !out.startsWith('resume with [REDACTED')
    })
    expect(leaks).toEqual([])
  })

  it('leaves no piece of a JWT, private key, Slack token, password or bearer value', () => {
    for (const sample of credentialSamples()) {
      const out = scrubContent(sample.text)
      expect({ kind: sample.kind, leaked: leakedPiece(out, sample.secret) }).toEqual({
        kind: sample.kind,
        leaked: undefined,
      })
      expect(scrubContent(out)).toBe(out)
    }
  })

  it('keeps UUIDs readable', () => {
    for (const text of readableSamples()) expect(scrubContent(text)).toBe(text)
  })

  it("replaces the process's remembered secrets, however they look", () => {
    rememberSecret('open sesame, said the agent')
    expect(scrubContent('the password was open sesame, said the agent')).toBe('the password was [REDACTED]')
  })
})

describe('deepScrub', () => {
  it('scrubs object keys too, at any depth, keeping keys that scrub alike apart', () => {
    const [token, other] = workspaceTokens(2, 11) as [string, string]
    const sk = `sk-${'A1b2'.repeat(6)}`
    const scrubbed = deepScrub({ [sk]: 1, sessions: { [token]: { [other]: 'x' }, plain: true }, [token]: 2 })
    const text = JSON.stringify(scrubbed)
    for (const secret of [sk, token, other]) expect(leakedPiece(text, secret)).toBeUndefined()
    const marker = /^\[REDACTED(?::[A-Z0-9_]+)?\]$/
    const top = scrubbed as Record<string, unknown>
    expect(Object.keys(top)).toHaveLength(3)
    expect(top['[REDACTED:SK_TOKEN]']).toBe(1)
    const sessions = top.sessions as Record<string, unknown>
    expect(sessions.plain).toBe(true)
    const [tokenKey] = Object.keys(sessions).filter((key) => key !== 'plain')
    expect(tokenKey).toMatch(marker)
    expect(Object.keys(sessions[tokenKey as string] as object)).toEqual([expect.stringMatching(marker)])
  })

  it('keeps both values when two keys scrub to the same text', () => {
    expect(deepScrub({ 'Bearer one': 1, 'Bearer two': 2 })).toEqual({
      '[REDACTED:BEARER_TOKEN]': 1,
      '[REDACTED:BEARER_TOKEN] (2)': 2,
    })
  })

  it('scrubs nested strings and drops sandbox items from lists', () => {
    const input = {
      a: 'Bearer xyz',
      list: ['keep me', '[SANDBOX_OUTPUT] secret stuff', { inner: 'MY_TOKEN=1' }],
      n: 3,
      nothing: null,
    }
    expect(deepScrub(input)).toEqual({
      a: '[REDACTED:BEARER_TOKEN]',
      list: ['keep me', { inner: 'MY_TOKEN=[REDACTED:TOKEN]' }],
      n: 3,
      nothing: null,
    })
    expect(input.a).toBe('Bearer xyz')
  })

  it('recognises sandbox markers case-insensitively', () => {
    expect(isSandboxContent('Source=Sandbox: out')).toBe(true)
    expect(isSandboxContent('tool=run_code')).toBe(true)
    expect(isSandboxContent('plain text')).toBe(false)
  })
})
