import { describe, expect, it } from 'vitest'
import { knownSecrets, rememberEnvSecrets, rememberSecret } from './known-secrets.ts'
import { CENSOR, maskSecrets } from './redact.ts'

describe('the known secrets of the process', () => {
  it('maskSecrets replaces a remembered value wherever it appears, whatever it looks like', () => {
    const secret = 'plain words (s3cret)'
    expect(maskSecrets(`he said ${secret}!`)).toBe(`he said ${secret}!`)
    rememberSecret(`  ${secret}\n`)
    expect(maskSecrets(`he said ${secret}!`)).toBe(`he said ${CENSOR}!`)
    expect(maskSecrets(`{"${secret}":1}`)).toBe(`{"${CENSOR}":1}`)
  })

  it('ignores blank values and values shorter than 8 characters', () => {
    const before = knownSecrets().length
    for (const value of [undefined, null, '', '   ', 'seven77']) rememberSecret(value)
    expect(knownSecrets()).toHaveLength(before)
    expect(maskSecrets('seven77 stays')).toBe('seven77 stays')
  })

  it('replaces a secret that contains another one whole', () => {
    rememberSecret('abcd-efgh')
    rememberSecret('abcd-efgh-ijkl-mnop')
    expect(knownSecrets().indexOf('abcd-efgh-ijkl-mnop')).toBeLessThan(knownSecrets().indexOf('abcd-efgh'))
    expect(maskSecrets('x abcd-efgh-ijkl-mnop y')).toBe(`x ${CENSOR} y`)
  })

  it('is one registry per process, shared by every copy of the module', async () => {
    // A second copy of the module (another installed version, a bundle) is a separate module instance.
    const secondCopy = './known-secrets.ts?second-copy'
    const copy = (await import(/* @vite-ignore */ secondCopy)) as typeof import('./known-secrets.ts')
    expect(copy.rememberSecret).not.toBe(rememberSecret)
    copy.rememberSecret('from-the-other-copy')
    expect(knownSecrets()).toContain('from-the-other-copy')
    expect(maskSecrets('from-the-other-copy')).toBe(CENSOR)
  })

  it('remembers long values of *_API_KEY, *_TOKEN and *_SECRET variables from an environment', () => {
    rememberEnvSecrets({
      OPENAI_API_KEY: 'oa-0123456789abcdef',
      GH_TOKEN: 'gh-0123456789abcdef',
      WEBHOOK_SECRET: 'wh-0123456789abcdef',
      SHORT_TOKEN: 'changeme',
      MOLECULE_WORKSPACE_TOKEN_FILE: '/run/secrets/token-file',
      HOME: '/home/someone-with-a-long-name',
    })
    expect(knownSecrets()).toEqual(
      expect.arrayContaining(['oa-0123456789abcdef', 'gh-0123456789abcdef', 'wh-0123456789abcdef']),
    )
    for (const kept of ['changeme', '/run/secrets/token-file', '/home/someone-with-a-long-name']) {
      expect(knownSecrets()).not.toContain(kept)
    }
  })
})
