import { describe, expect, it } from 'vitest'
import { bodyExcerpt, EXCERPT_MAX_CHARS, excerptHead, maskSecrets } from './errors.js'

const TOKEN = 'q3JvZ2VyLXRoaXMtaXMtYS1mYWtlLXRva2VuLXZhbHVl1' // 45 chars, base64url-looking

describe('maskSecrets', () => {
  it('masks bearer tokens, token fields and long base64url runs', () => {
    expect(maskSecrets('Authorization: Bearer abc.def-123')).toBe('Authorization: Bearer ***')
    expect(maskSecrets('{"auth_token":"xyz123","status":"registered"}')).toBe(
      '{"auth_token":"***","status":"registered"}',
    )
    expect(maskSecrets('token=hunter2&x=1')).toBe('token=***&x=1')
    expect(maskSecrets(`leaked ${TOKEN} here`)).toBe('leaked *** here')
    expect(maskSecrets('key sk-abcdefghijklmnop1234')).toBe('key ***')
  })

  it('masks a known secret literally even when it is short and unstructured', () => {
    expect(maskSecrets('the value s3cr3t! was wrong', ['s3cr3t!'])).toBe('the value *** was wrong')
  })

  it('keeps workspace UUIDs and 32-hex idempotency keys readable', () => {
    const text = 'workspace 0b6f7c1e-5d2a-4c8e-9a71-2f4d6e8b9c10 key 3f9a1c0d5e7b2a48c6e1f0a9b8d7c6e5'
    expect(maskSecrets(text)).toBe(text)
  })
})

describe('maskSecrets: tokens, not identifiers', () => {
  const WS = '0b6f7c1e-5d2a-4c8e-9a71-2f4d6e8b9c10'

  it('keeps UUIDs inside longer names and next to each other', () => {
    for (const text of [
      `{"error":"workspace ${WS} not found","id":"${WS}"}`,
      `cursor file inbox-cursor-${WS}.json`,
      `ws-${WS}-retry-2`,
      `${WS}-${WS.replace('0b6f', '1c7a')}`,
      `GET /workspaces/${WS}/activity?since_id=${WS}`,
      'delegation-failed-because-the-target-workspace-timed-out',
    ]) {
      expect(maskSecrets(text)).toBe(text)
    }
  })

  it('masks high-entropy runs even with dashes, and when glued to a UUID', () => {
    const dashed = 'q3JvZ2VyLXRo-aXMtaXMtYS1m_YWtlLXRva2VuLXZh'
    expect(maskSecrets(`token was ${dashed}.`)).toBe('token was ***.')
    expect(maskSecrets(`${WS}${TOKEN}`)).toBe('***')
    expect(maskSecrets(`digest ${'9f'.repeat(32)}`)).toBe('digest ***')
  })

  it('masks values of token-, secret- and key-named fields, JSON or query or header style', () => {
    expect(maskSecrets('{"github_token": "abc", "client_secret":"def", "api_key":"x1"}')).toBe(
      '{"github_token": "***", "client_secret":"***", "api_key":"***"}',
    )
    expect(maskSecrets('X-Api-Key: k123&password=pw')).toBe('X-Api-Key: ***&password=***')
    expect(maskSecrets(`{"platform_inbound_secret":"${WS}"}`)).toBe('{"platform_inbound_secret":"***"}')
  })

  it('masks known credential shapes', () => {
    // Fakes assembled at run time so the secret scan of the source stays clean.
    const jwt = [
      'eyJhbGciOiJIUzI1NiJ9',
      'eyJzdWIiOiIxMjM0NTY3ODkwIn0',
      'dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U',
    ].join('.')
    const samples = [
      jwt,
      `gh${'p'}_${'A1b2C3d4E5'.repeat(3)}`,
      `xox${'b'}-1234567890-abcdefghij`,
      `AKIA${'ABCDEFGHIJKLMNOP'}`,
      `AIza${'x'.repeat(35)}`,
      `-----BEGIN RSA ${'PRIVATE'} KEY-----\nMIIB\n-----END RSA ${'PRIVATE'} KEY-----`,
    ]
    for (const sample of samples) expect(maskSecrets(`got ${sample} here`)).toBe('got *** here')
  })
})

describe('bodyExcerpt', () => {
  it('masks only the head of a large body, cut between runs so no token is split, a single huge run as a whole', () => {
    expect(bodyExcerpt('a'.repeat(100_000))).toBe('***')
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
