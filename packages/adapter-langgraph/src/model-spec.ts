import { LangGraphAdapterError } from './errors.js'

/** The environment as the adapter reads it: the runtime's resolved variables, else `process.env`. */
export type Env = Readonly<Record<string, string | undefined>>

/** How a `provider:` prefix of config `model` is reached: which client, which key, which endpoint. */
interface ProviderRoute {
  client: 'anthropic' | 'openai'
  /** Variables holding the API key, first set wins. */
  keyVars: readonly string[]
  /** Variable overriding the endpoint. */
  baseUrlVar?: string
  /** Endpoint when `baseUrlVar` is unset (OpenAI-compatible hosted services). */
  defaultBaseUrl?: string
}

const PROVIDERS: Readonly<Record<string, ProviderRoute>> = {
  anthropic: { client: 'anthropic', keyVars: ['ANTHROPIC_API_KEY'], baseUrlVar: 'ANTHROPIC_BASE_URL' },
  openai: { client: 'openai', keyVars: ['OPENAI_API_KEY'], baseUrlVar: 'OPENAI_BASE_URL' },
  openrouter: {
    client: 'openai',
    keyVars: ['OPENROUTER_API_KEY', 'OPENAI_API_KEY'],
    defaultBaseUrl: 'https://openrouter.ai/api/v1',
  },
  groq: { client: 'openai', keyVars: ['GROQ_API_KEY'], defaultBaseUrl: 'https://api.groq.com/openai/v1' },
  cerebras: { client: 'openai', keyVars: ['CEREBRAS_API_KEY'], defaultBaseUrl: 'https://api.cerebras.ai/v1' },
}

/** The providers config `model` may name. */
export const PROVIDER_NAMES = Object.keys(PROVIDERS)

/** A parsed `provider:model` with everything needed to build its chat model client. */
export interface ModelSpec {
  /** The prefix as written (`anthropic`, `openai`, `groq`, …). */
  provider: string
  /** The model name after the prefix, passed to the provider as is. */
  model: string
  client: ProviderRoute['client']
  /** The variable the key is read from (the first of the provider's variables), for messages. */
  keyVar: string
  apiKey: string | undefined
  baseUrl: string | undefined
}

function setValue(env: Env, name: string | undefined): string | undefined {
  if (!name) return undefined
  const value = env[name]?.trim()
  return value ? value : undefined
}

/**
 * Parses config `model` (`anthropic:claude-opus-4-7`, `openai:gpt-4o`, `groq:llama-3.3-70b`; no prefix means
 * Anthropic) and reads the provider's key and endpoint from `env`. An OpenAI-compatible server (Ollama, vLLM) is
 * `openai:<model>` with `OPENAI_BASE_URL` pointing at it. An unknown prefix is an error naming the known ones.
 */
export function parseModelSpec(value: string, env: Env): ModelSpec {
  const trimmed = value.trim()
  const colon = trimmed.indexOf(':')
  const provider = colon === -1 ? 'anthropic' : trimmed.slice(0, colon).trim().toLowerCase()
  const model = colon === -1 ? trimmed : trimmed.slice(colon + 1).trim()
  const route = PROVIDERS[provider]
  if (!route)
    throw new LangGraphAdapterError(
      'LANGGRAPH_UNKNOWN_PROVIDER',
      `model "${trimmed}": provider "${provider}" is not supported (known: ${PROVIDER_NAMES.join(', ')}).`,
      {
        path: 'model',
        fix: 'Set `model` in config.yaml to provider:model, e.g. anthropic:claude-opus-4-7 or openai:gpt-4o (any OpenAI-compatible server through OPENAI_BASE_URL).',
      },
    )
  if (!model)
    throw new LangGraphAdapterError(
      'LANGGRAPH_MODEL_MISSING',
      `model "${trimmed}" names no model after "${provider}:".`,
      {
        path: 'model',
        fix: `Write the model name after the prefix, e.g. ${provider}:<model>.`,
      },
    )
  const keyVar = route.keyVars[0] as string
  let apiKey: string | undefined
  for (const name of route.keyVars) {
    apiKey = setValue(env, name)
    if (apiKey) break
  }
  const baseUrl = setValue(env, route.baseUrlVar) ?? route.defaultBaseUrl
  return { provider, model, client: route.client, keyVar, apiKey, baseUrl }
}

/**
 * True when a missing key is acceptable: an OpenAI-compatible server of one's own (Ollama, vLLM behind
 * `OPENAI_BASE_URL`) usually needs none.
 */
export function keyOptional(spec: ModelSpec): boolean {
  return spec.provider === 'openai' && spec.baseUrl !== undefined
}
