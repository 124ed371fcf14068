import { describe, expect, it } from 'vitest'
import { CENSOR, maskSecrets, REDACT_KEYS, redactPaths } from './redact.ts'

const TOKEN = 'q3JvZ2VyLXRoaXMtaXMtYS1mYWtlLXRva2VuLXZhbHVl1' // 45 chars, base64url-looking

describe('maskSecrets', () => {
  it('masks bearer tokens, token fields and long base64url runs', () => {
    expect(maskSecrets('Authorization: Bearer abc.def-123')).toBe('Authorization: Bearer [REDACTED]')
    expect(maskSecrets('{"auth_token":"xyz123","status":"registered"}')).toBe(
      '{"auth_token":"[REDACTED]","status":"registered"}',
    )
    expect(maskSecrets('token=hunter2&x=1')).toBe('token=[REDACTED]&x=1')
    expect(maskSecrets(`leaked ${TOKEN} here`)).toBe('leaked [REDACTED] here')
    expect(maskSecrets('key sk-abcdefghijklmnop1234')).toBe('key [REDACTED]')
  })

  it('masks a known secret literally even when it is short and unstructured', () => {
    expect(maskSecrets('the value s3cr3t! was wrong', ['s3cr3t!'])).toBe('the value [REDACTED] was wrong')
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
    expect(maskSecrets(`token was ${dashed}.`)).toBe('token was [REDACTED].')
    expect(maskSecrets(`${WS}${TOKEN}`)).toBe(CENSOR)
    expect(maskSecrets(`digest ${'9f'.repeat(32)}`)).toBe('digest [REDACTED]')
  })

  it('masks values of token-, secret- and key-named fields, JSON or query or header style', () => {
    expect(maskSecrets('{"github_token": "abc", "client_secret":"def", "api_key":"x1"}')).toBe(
      '{"github_token": "[REDACTED]", "client_secret":"[REDACTED]", "api_key":"[REDACTED]"}',
    )
    expect(maskSecrets('X-Api-Key: k123&password=pw')).toBe('X-Api-Key: [REDACTED]&password=[REDACTED]')
    expect(maskSecrets(`{"platform_inbound_secret":"${WS}"}`)).toBe(
      '{"platform_inbound_secret":"[REDACTED]"}',
    )
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
    for (const sample of samples) expect(maskSecrets(`got ${sample} here`)).toBe('got [REDACTED] here')
  })
})

describe('maskSecrets: values, markers and repeat runs', () => {
  it('masks a quoted value up to its closing quote and a bare password to the end of the line', () => {
    expect(maskSecrets(`{"api_key": "two words", "n": 1}`)).toBe(`{"api_key": "${CENSOR}", "n": 1}`)
    expect(maskSecrets("secret='a b c' rest")).toBe(`secret='${CENSOR}' rest`)
    expect(maskSecrets('password: correct horse battery\nnext line')).toBe(`password: ${CENSOR}\nnext line`)
    // A value cut short by an excerpt has no closing quote.
    expect(maskSecrets('{"auth_token": "abc123 and more')).toBe(`{"auth_token": "${CENSOR}"`)
  })

  it('leaves values that are already masked alone, including the typed markers of the snapshot', () => {
    for (const text of [
      'OPENAI_API_KEY=[REDACTED:API_KEY]',
      'Authorization: [REDACTED:BEARER_TOKEN]',
      `Authorization: Bearer ${CENSOR}`,
      `password: ${CENSOR}`,
      `{"token":"${CENSOR}"}`,
    ]) {
      expect(maskSecrets(text)).toBe(text)
    }
  })
})

describe('the logger redaction list', () => {
  it('covers every credential key at the top level, one level down and in a headers bag', () => {
    const paths = redactPaths()
    for (const key of REDACT_KEYS) {
      expect(paths).toEqual(expect.arrayContaining([key, `*.${key}`, `headers.${key}`, `*.headers.${key}`]))
    }
    expect(new Set(paths).size).toBe(paths.length)
  })
})
