import { isMoleculeError } from '@molecule/core'
import { describe, expect, it } from 'vitest'
import {
  LangGraphAdapter,
  parseModelSpec,
  providerErrorReply,
  readModelSettings,
  retryAfterSeconds,
} from '../src/index.js'
import { recursionLimit } from '../src/settings.js'

describe('config model → provider, key and endpoint', () => {
  it('reads provider:model, defaulting to anthropic without a prefix', () => {
    expect(parseModelSpec('anthropic:claude-opus-4-7', { ANTHROPIC_API_KEY: ' k1 ' })).toEqual({
      provider: 'anthropic',
      model: 'claude-opus-4-7',
      client: 'anthropic',
      keyVar: 'ANTHROPIC_API_KEY',
      apiKey: 'k1',
      baseUrl: undefined,
    })
    expect(parseModelSpec('claude-sonnet-4', {})).toMatchObject({
      provider: 'anthropic',
      model: 'claude-sonnet-4',
    })
    expect(parseModelSpec('openai:gpt-4o', { OPENAI_BASE_URL: 'http://127.0.0.1:11434/v1' })).toMatchObject({
      client: 'openai',
      model: 'gpt-4o',
      keyVar: 'OPENAI_API_KEY',
      apiKey: undefined,
      baseUrl: 'http://127.0.0.1:11434/v1',
    })
    // OpenRouter falls back to OPENAI_API_KEY and has its own endpoint.
    expect(parseModelSpec('openrouter:meta/llama', { OPENAI_API_KEY: 'ok' })).toMatchObject({
      apiKey: 'ok',
      baseUrl: 'https://openrouter.ai/api/v1',
      keyVar: 'OPENROUTER_API_KEY',
    })
  })

  it('an unknown provider or a missing model name is an error naming `model`', () => {
    for (const bad of ['mystery:m1', 'openai:']) {
      let caught: unknown
      try {
        parseModelSpec(bad, {})
      } catch (err) {
        caught = err
      }
      expect(isMoleculeError(caught)).toBe(true)
      expect(caught).toMatchObject({ path: 'model' })
    }
  })
})

describe('preflight of the adapter', () => {
  const adapter = new LangGraphAdapter()
  const check = (model: string, env: Record<string, string>) =>
    adapter.preflight({ model, runtimeConfig: {}, env })

  it('fails naming the key variable of the provider when it is unset', () => {
    expect(check('anthropic:claude-opus-4-7', {})).toEqual([
      {
        level: 'fail',
        title: 'Model',
        detail: 'ANTHROPIC_API_KEY is not set; model "anthropic:claude-opus-4-7" needs it.',
        fix: 'Set ANTHROPIC_API_KEY through the platform secrets API, or change `model` in config.yaml.',
      },
    ])
    expect(check('openai:gpt-4o', { ANTHROPIC_API_KEY: 'x' })[0]?.detail).toMatch(
      /^OPENAI_API_KEY is not set/,
    )
  })

  it('passes with the key, and for an own OpenAI-compatible server without one', () => {
    expect(check('anthropic:claude-opus-4-7', { ANTHROPIC_API_KEY: 'x' })).toEqual([])
    expect(check('openai:llama3', { OPENAI_BASE_URL: 'http://127.0.0.1:11434/v1' })).toEqual([])
  })

  it('an injected chat model needs no key', () => {
    const injected = new LangGraphAdapter({ chatModel: () => ({}) as never })
    expect(injected.preflight({ model: 'anthropic:x', runtimeConfig: {}, env: {} })).toEqual([])
  })
})

describe('runtime_config and LANGGRAPH_RECURSION_LIMIT', () => {
  it('reads the model settings with defaults, MAX_TOKENS as fallback', () => {
    expect(readModelSettings({}, {})).toEqual({
      maxTokens: undefined,
      temperature: undefined,
      maxRetries: 2,
      timeoutMs: 600_000,
    })
    expect(
      readModelSettings(
        { temperature: 0.2, max_retries: 0, request_timeout_seconds: 1.5, other_adapter_key: 1 },
        { MAX_TOKENS: '2048' },
      ),
    ).toEqual({ maxTokens: 2048, temperature: 0.2, maxRetries: 0, timeoutMs: 1500 })
  })

  it('refuses a bad value, naming the key', () => {
    expect(() => readModelSettings({ temperature: 7 }, {})).toThrow(/runtime_config\.temperature/)
  })

  it('falls back to 500 steps on an invalid limit, saying so', () => {
    const invalid: string[] = []
    expect(recursionLimit({ LANGGRAPH_RECURSION_LIMIT: '40' }, (raw) => invalid.push(raw))).toBe(40)
    expect(recursionLimit({ LANGGRAPH_RECURSION_LIMIT: '-3' }, (raw) => invalid.push(raw))).toBe(500)
    expect(recursionLimit({}, (raw) => invalid.push(raw))).toBe(500)
    expect(invalid).toEqual(['-3'])
  })
})

describe('provider errors as replies', () => {
  const spec = { provider: 'anthropic', model: 'claude-opus-4-7', keyVar: 'ANTHROPIC_API_KEY' }

  it('reads Retry-After as seconds or as an HTTP date', () => {
    const now = Date.parse('2026-01-01T00:00:00Z')
    expect(retryAfterSeconds(new Headers({ 'retry-after': '2.5' }), now)).toBe(3)
    expect(retryAfterSeconds({ 'retry-after': 'Thu, 01 Jan 2026 00:00:30 GMT' }, now)).toBe(30)
    expect(retryAfterSeconds({}, now)).toBeUndefined()
  })

  it('never quotes the provider message, and leaves non-provider errors to the generic reply', () => {
    const leaky = Object.assign(new Error('invalid x-api-key sk-ant-secretsecret'), { status: 401 })
    const text = providerErrorReply(leaky, spec)
    expect(text).toContain('ANTHROPIC_API_KEY')
    expect(text).not.toContain('sk-ant')
    expect(providerErrorReply(Object.assign(new Error('x'), { status: 429 }), spec)).toMatch(
      /Try again in a minute\.$/,
    )
    expect(
      providerErrorReply(
        Object.assign(new Error('prompt is too long: 300000 tokens'), { status: 400 }),
        spec,
      ),
    ).toMatch(/context window of claude-opus-4-7/)
    expect(providerErrorReply(Object.assign(new Error('overloaded'), { status: 529 }), spec)).toMatch(
      /HTTP 529/,
    )
    expect(providerErrorReply(new TypeError('undefined is not a function'), spec)).toBeUndefined()
  })
})
