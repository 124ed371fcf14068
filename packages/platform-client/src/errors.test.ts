import { describe, expect, it } from 'vitest'
import { bodyExcerpt, EXCERPT_MAX_CHARS, maskSecrets } from './errors.js'

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

describe('bodyExcerpt', () => {
  it('is single-line, masked and capped at 300 characters', () => {
    const long = `{"error":"bad",\n"token":"${TOKEN}","pad":"${'x'.repeat(1000)}"}`
    const excerpt = bodyExcerpt(long)
    expect(excerpt.length).toBeLessThanOrEqual(EXCERPT_MAX_CHARS)
    expect(excerpt).not.toContain(TOKEN)
    expect(excerpt).not.toContain('\n')
  })
})
