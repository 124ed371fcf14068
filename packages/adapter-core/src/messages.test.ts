import { describe, expect, it } from 'vitest'
import { fromV1State, fromV1Task, toV1Message, toV1StreamEvent, toV1Task } from './a2a/convert.js'
import type { Task } from './a2a/v03.js'
import { extractText, MessageShapeError, normalizeMessage, textMessage } from './messages.js'

describe('extractText', () => {
  it('reads parts tagged with kind, with type, or untagged', () => {
    expect(extractText({ parts: [{ kind: 'text', text: 'a' }] })).toBe('a')
    expect(extractText({ parts: [{ type: 'text', text: 'b' }] })).toBe('b')
    expect(extractText({ parts: [{ text: 'c' }] })).toBe('c')
    expect(
      extractText({
        parts: [
          { kind: 'text', text: ' x ' },
          { type: 'text', text: 'y ' },
        ],
      }),
    ).toBe('x  y')
  })

  it('skips non-text parts, empty text and junk', () => {
    const parts = [
      { kind: 'file', file: { uri: 'workspace:/a' } },
      { kind: 'data', data: { text: 'not me' } },
      { kind: 'text', text: '' },
      null,
      42,
      { text: 7 },
      { kind: 'text', text: 'kept' },
    ]
    expect(extractText({ parts })).toBe('kept')
    expect(extractText({ parts: 'nope' })).toBe('')
    expect(extractText(undefined)).toBe('')
  })
})

describe('normalizeMessage', () => {
  it('canonicalises every part tagging and generates a messageId', () => {
    const m = normalizeMessage({
      role: 'user',
      parts: [
        { type: 'text', text: 'hi' },
        { text: 'there' },
        { url: 'https://x/y.pdf', filename: 'y.pdf', mediaType: 'application/pdf' },
        { data: [1, 2] },
      ],
    })
    expect(m.kind).toBe('message')
    expect(m.messageId).toMatch(/^[0-9a-f-]{36}$/)
    expect(m.parts).toEqual([
      { kind: 'text', text: 'hi' },
      { kind: 'text', text: 'there' },
      { kind: 'file', file: { uri: 'https://x/y.pdf', name: 'y.pdf', mimeType: 'application/pdf' } },
      { kind: 'data', data: { value: [1, 2] } },
    ])
  })

  it('accepts v1.0 roles and refuses bad shapes naming the field', () => {
    expect(normalizeMessage({ role: 'ROLE_AGENT', parts: [] }).role).toBe('agent')
    expect(() => normalizeMessage({ parts: 'x' })).toThrow(/message\.parts: must be an array/)
    expect(() => normalizeMessage({ parts: [{ kind: 'text', text: 3 }] })).toThrow(
      /message\.parts\[0\]\.text/,
    )
    expect(() => normalizeMessage({ role: 'robot', parts: [] })).toThrow(MessageShapeError)
    expect(() => normalizeMessage({ role: 'robot', parts: [] }, 'params.message')).toThrow(
      /^params\.message\.role: must be "user" or "agent"$/,
    )
    expect(() => normalizeMessage({ parts: [{ kind: 'video' }] })).toThrow(/parts\[0\]/)
  })
})

describe('v0.3 ⇄ v1.0', () => {
  it('converts messages, tasks and stream events', () => {
    const reply = textMessage('agent', 'ok', { taskId: 't', contextId: 'c' })
    expect(toV1Message(reply)).toEqual({
      messageId: reply.messageId,
      role: 'ROLE_AGENT',
      parts: [{ text: 'ok' }],
      taskId: 't',
      contextId: 'c',
    })
    const task = toV1Task({
      kind: 'task',
      id: 't',
      contextId: 'c',
      status: { state: 'input-required' },
    })
    expect(task.status.state).toBe('TASK_STATE_INPUT_REQUIRED')
    expect(fromV1State('TASK_STATE_CANCELED')).toBe('canceled')
    expect(fromV1State('completed')).toBe('completed')
    expect(fromV1State('bogus')).toBe('unknown')
    expect(
      toV1StreamEvent({
        kind: 'status-update',
        taskId: 't',
        contextId: 'c',
        status: { state: 'working' },
        final: false,
      }),
    ).toEqual({ statusUpdate: { taskId: 't', contextId: 'c', status: { state: 'TASK_STATE_WORKING' } } })
  })

  it('round-trips a task through v1.0 and back', () => {
    const reply = textMessage('agent', 'done', { taskId: 't', contextId: 'c' })
    const task: Task = {
      kind: 'task',
      id: 't',
      contextId: 'c',
      status: { state: 'completed', message: reply, timestamp: '2026-01-01T00:00:00.000Z' },
      artifacts: [
        {
          artifactId: 'a',
          name: 'out',
          parts: [
            { kind: 'text', text: 'x' },
            { kind: 'file', file: { uri: 'workspace:/w/f.txt', name: 'f.txt', mimeType: 'text/plain' } },
          ],
        },
      ],
      history: [textMessage('user', 'go', { taskId: 't', contextId: 'c' }), reply],
      metadata: { k: 1 },
    }
    expect(fromV1Task(toV1Task(task))).toEqual(task)
  })
})

describe('normalizeMessage on generated input', () => {
  it('2,000 seeded random values: a canonical message or a MessageShapeError, nothing else', () => {
    let seed = 42
    const rand = () => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff
      return seed / 0x7fffffff
    }
    const pick = <T>(xs: T[]): T => xs[Math.floor(rand() * xs.length)] as T
    const value = (depth: number): unknown => {
      const k = Math.floor(rand() * (depth > 2 ? 5 : 8))
      if (k === 0) return null
      if (k === 1) return pick([0, -1, 3.5, true, false])
      if (k === 2) return pick(['', 'text', 'file', 'data', 'user', 'ROLE_AGENT', 'x'])
      if (k === 3) return undefined
      if (k === 4) return pick([{}, []])
      if (k === 5) return Array.from({ length: Math.floor(rand() * 3) }, () => value(depth + 1))
      const o: Record<string, unknown> = {}
      for (let i = Math.floor(rand() * 4); i > 0; i--)
        o[
          pick([
            'kind',
            'type',
            'text',
            'parts',
            'role',
            'file',
            'data',
            'url',
            'raw',
            'uri',
            'bytes',
            'metadata',
            'messageId',
          ])
        ] = value(depth + 1)
      return o
    }
    let ok = 0
    for (let i = 0; i < 2000; i++) {
      const input = rand() < 0.5 ? { role: value(2), parts: value(1) } : value(0)
      try {
        const m = normalizeMessage(input)
        expect(m.kind).toBe('message')
        expect(typeof m.messageId).toBe('string')
        for (const p of m.parts) expect(['text', 'file', 'data']).toContain(p.kind)
        ok++
      } catch (err) {
        expect(err).toBeInstanceOf(MessageShapeError)
      }
    }
    expect(ok).toBeGreaterThan(20)
  })
})
