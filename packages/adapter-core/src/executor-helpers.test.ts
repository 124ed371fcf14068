import { describe, expect, it } from 'vitest'
import { sanitizedAgentError } from './executor.js'
import { briefSummary, classifySubprocessError } from './executor-helpers.js'

describe('briefSummary', () => {
  it('takes the first meaningful markdown line', () => {
    expect(briefSummary('\n```ts\n---\n## **Fixed** the __bug__\nmore')).toBe('Fixed the bug')
    expect(briefSummary('a'.repeat(100), 10)).toBe('aaaaaaa...')
    expect(briefSummary('x'.repeat(10), 1)).toBe('x...')
    expect(briefSummary('---\n\n', 80)).toBe('---\n\n')
  })
})

describe('classifySubprocessError', () => {
  it.each([
    ['Error: rate limit exceeded', 1, 'rate_limited'],
    ['HTTP 429', 1, 'rate_limited'],
    ['server overloaded', 1, 'rate_limited'],
    ['invalid api_key', 1, 'auth_failed'],
    ['Authentication failed', 1, 'auth_failed'],
    ['No conversation found with id', 1, 'session_error'],
    ['session expired', 1, 'session_error'],
    ['sessionless mode; cannot generate', 2, 'exit_2'],
    ['', 0, 'subprocess_error'],
    ['weird', null, 'subprocess_error'],
  ])('%s → %s', (stderr, code, expected) => {
    expect(classifySubprocessError(stderr, code as number | null)).toBe(expected)
  })

  it('sanitized errors carry the category, never the stderr', () => {
    expect(sanitizedAgentError(new Error('token sk-123'), 'auth_failed')).toBe(
      'Agent error (auth_failed) — see workspace logs for details.',
    )
    expect(sanitizedAgentError()).toContain('(unknown)')
  })
})
