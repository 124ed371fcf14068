import { excerptHead, isMoleculeError, maskSecrets } from '@molecule/core'
import { describe, expect, it } from 'vitest'
import { PlatformClient } from './client.js'
import { bodyExcerpt, EXCERPT_MAX_CHARS, PlatformClientError, PlatformError } from './errors.js'

const TOKEN = 'q3JvZ2VyLXRoaXMtaXMtYS1mYWtlLXRva2VuLXZhbHVl1' // 45 chars, base64url-looking

describe('bodyExcerpt', () => {
  it('masks only the head of a large body, cut between runs so no token is split, a single huge run as a whole', () => {
    expect(bodyExcerpt('a'.repeat(100_000))).toBe('[REDACTED]')
    const filler = 'word '.repeat(1637) // 8185 characters: the token below straddles the 8 KiB head
    const excerpt = bodyExcerpt(`${filler}${TOKEN} tail`)
    expect(excerpt.length).toBeLessThanOrEqual(EXCERPT_MAX_CHARS)
    expect(maskSecrets(`${filler}${TOKEN}`)).not.toContain(TOKEN.slice(0, 7))
    expect(excerptHead(`${filler}${TOKEN} tail`)).toBe(filler.trimEnd())
  })

  it('is single-line, masked and capped at 300 characters', () => {
    const long = `{"error":"bad",\n"token":"${TOKEN}","pad":"${'x'.repeat(1000)}"}`
    const excerpt = bodyExcerpt(long)
    expect(excerpt.length).toBeLessThanOrEqual(EXCERPT_MAX_CHARS)
    expect(excerpt).not.toContain(TOKEN)
    expect(excerpt).not.toContain('\n')
  })
})

describe('local errors', () => {
  it('a PlatformClient without platformUrl or workspaceId is a PlatformClientError naming the option', () => {
    const missing = (options: { platformUrl: string; workspaceId: string }) => {
      try {
        new PlatformClient(options)
      } catch (err) {
        return err
      }
      throw new Error('expected the constructor to throw')
    }
    const noUrl = missing({ platformUrl: '', workspaceId: 'w' })
    expect(noUrl).toBeInstanceOf(PlatformClientError)
    expect(isMoleculeError(noUrl)).toBe(true)
    expect(noUrl).toMatchObject({ code: 'CLIENT_OPTION_MISSING', path: 'platformUrl' })
    expect((noUrl as Error).message).toMatch(/platformUrl is required.*PLATFORM_URL/)
    expect(missing({ platformUrl: 'http://127.0.0.1:1', workspaceId: '' })).toMatchObject({
      code: 'CLIENT_OPTION_MISSING',
      path: 'workspaceId',
    })
  })

  it('a platform failure is not a local error: PlatformError stays outside the MoleculeError family', () => {
    const err = new PlatformError({
      code: 'PLATFORM_HTTP',
      endpoint: 'GET /x',
      status: 500,
      message: 'GET /x: 500',
    })
    expect(isMoleculeError(err)).toBe(false)
    expect(err).toBeInstanceOf(Error)
  })
})
