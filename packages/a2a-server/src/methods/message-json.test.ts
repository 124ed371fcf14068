import { textMessage } from '@molecule/adapter-core'
import type { Message } from '@molecule/adapter-core/a2a'
import { prng } from '@molecule/test-support'
import { describe, expect, it } from 'vitest'
import { v03Json } from './message-json.js'

const NASTY = [
  '',
  'plain',
  'quote " and \\ backslash',
  'line\nbreak\ttab',
  '\u0000\u001f control',
  'é ✓ 𝄞 emoji 🎉',
  '\ud800 lone surrogate',
  '</script>',
]

describe('v03Json', () => {
  it('writes exactly what JSON.stringify writes, for replies and for everything else', () => {
    const random = prng(0xa2a)
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)] as T
    const cases: unknown[] = []
    for (let i = 0; i < 2_000; i++) {
      const m = textMessage(pick(['agent', 'user'] as const), pick(NASTY), {
        ...(random() < 0.8 ? { taskId: pick(NASTY) } : {}),
        ...(random() < 0.8 ? { contextId: pick(NASTY) } : {}),
        ...(random() < 0.1 ? { metadata: { k: pick(NASTY) } } : {}),
      })
      if (random() < 0.1) (m as unknown as Record<string, unknown>).extensions = [pick(NASTY)]
      if (random() < 0.1) m.parts.push({ kind: 'text', text: pick(NASTY) })
      if (random() < 0.05) (m.parts[0] as unknown as Record<string, unknown>).metadata = {}
      cases.push(m)
    }
    cases.push(
      { kind: 'task', id: 't', contextId: 'c', status: { state: 'completed' } },
      {
        contextId: 'c',
        kind: 'message',
        messageId: 'm',
        role: 'agent',
        parts: [{ kind: 'text', text: 'x' }],
      },
      { kind: 'message', messageId: 'm', role: 'agent', parts: [{ text: 'x', kind: 'text' }] },
      { kind: 'message', messageId: 'm', role: 'agent', parts: [{ kind: 'data', data: {} }] },
    )
    for (const value of cases) expect(v03Json(value as Message)).toBe(JSON.stringify(value))
  })
})
