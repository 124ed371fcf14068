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

describe('deepScrub', () => {
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
