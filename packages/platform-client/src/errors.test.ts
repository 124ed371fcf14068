import { excerptHead, maskSecrets } from '@molecule/core'
import { describe, expect, it } from 'vitest'
import { bodyExcerpt, EXCERPT_MAX_CHARS } from './errors.js'

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
