import { z } from 'zod'
import type { ModelSettings } from './chat-model.js'
import { LangGraphAdapterError } from './errors.js'
import type { Env } from './model-spec.js'

/** Steps one task may take (model calls plus tool rounds) when `LANGGRAPH_RECURSION_LIMIT` is unset or invalid. */
export const DEFAULT_RECURSION_LIMIT = 500

/** The `runtime_config` keys this adapter reads, as JSON Schema (the platform's Config tab shows it). */
export const langGraphConfigSchema = {
  type: 'object',
  properties: {
    max_tokens: {
      type: 'integer',
      minimum: 1,
      description: 'Largest reply per model call (default: MAX_TOKENS, else the provider default).',
    },
    temperature: {
      type: 'number',
      minimum: 0,
      maximum: 2,
      description: 'Sampling temperature (default: the provider default).',
    },
    max_retries: {
      type: 'integer',
      minimum: 0,
      maximum: 10,
      default: 2,
      description: 'Retries of rate-limited or failed model calls before the agent replies with the error.',
    },
    request_timeout_seconds: {
      type: 'number',
      exclusiveMinimum: 0,
      default: 600,
      description: 'Longest wait for one model call.',
    },
  },
} as const

const settingsSchema = z.object({
  max_tokens: z.number().int().min(1).optional(),
  temperature: z.number().min(0).max(2).optional(),
  max_retries: z.number().int().min(0).max(10).default(2),
  request_timeout_seconds: z.number().positive().default(600),
})

/** Reads the model settings from `runtime_config` (unknown keys are other adapters' business and ignored). */
export function readModelSettings(runtimeConfig: Readonly<Record<string, unknown>>, env: Env): ModelSettings {
  const parsed = settingsSchema.safeParse(runtimeConfig)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    const key = issue?.path.join('.') ?? ''
    throw new LangGraphAdapterError(
      'LANGGRAPH_CONFIG_INVALID',
      `runtime_config.${key}: ${issue?.message ?? 'invalid'}.`,
      {
        path: `runtime_config.${key}`,
        fix: 'Fix or remove the value in config.yaml (see the adapter README for the keys and their ranges).',
      },
    )
  }
  const settings = parsed.data
  const envMax = Number.parseInt(env.MAX_TOKENS ?? '', 10)
  return {
    maxTokens: settings.max_tokens ?? (envMax > 0 ? envMax : undefined),
    temperature: settings.temperature,
    maxRetries: settings.max_retries,
    timeoutMs: Math.round(settings.request_timeout_seconds * 1000),
  }
}

/**
 * `LANGGRAPH_RECURSION_LIMIT`, read per task so an operator can change it without a restart; anything but a
 * positive whole number falls back to the default with `onInvalid` told why.
 */
export function recursionLimit(env: Env, onInvalid: (raw: string) => void): number {
  const raw = env.LANGGRAPH_RECURSION_LIMIT?.trim()
  if (!raw) return DEFAULT_RECURSION_LIMIT
  const value = Number(raw)
  if (Number.isInteger(value) && value > 0) return value
  onInvalid(raw)
  return DEFAULT_RECURSION_LIMIT
}
