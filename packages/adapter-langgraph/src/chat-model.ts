import type { BaseChatModel } from '@langchain/core/language_models/chat_models'
import type { ModelSpec } from './model-spec.js'

/** `runtime_config` keys the model client reads. */
export interface ModelSettings {
  /** `runtime_config.max_tokens` (else `MAX_TOKENS`); the provider's default when unset. */
  maxTokens?: number | undefined
  /** `runtime_config.temperature`; the provider's default when unset. */
  temperature?: number | undefined
  /** `runtime_config.max_retries`: the client's own retries of 429/5xx before the error reaches the agent. */
  maxRetries: number
  /** `runtime_config.request_timeout_seconds`, in milliseconds here. */
  timeoutMs: number
}

/**
 * Builds the LangChain chat model for `spec`. The provider packages are imported here, on first use, so a workspace
 * pays for the one client it talks to. Streaming is on, with token usage in the stream.
 */
export async function createChatModel(spec: ModelSpec, settings: ModelSettings): Promise<BaseChatModel> {
  const common = {
    model: spec.model,
    streaming: true,
    maxRetries: settings.maxRetries,
    ...(settings.temperature !== undefined ? { temperature: settings.temperature } : {}),
    ...(settings.maxTokens !== undefined ? { maxTokens: settings.maxTokens } : {}),
  }
  if (spec.client === 'anthropic') {
    const { ChatAnthropic } = await import('@langchain/anthropic')
    return new ChatAnthropic({
      ...common,
      // An empty key is sent as is and refused (401) rather than read from process.env behind our back.
      apiKey: spec.apiKey ?? '',
      streamUsage: true,
      clientOptions: { timeout: settings.timeoutMs },
      ...(spec.baseUrl ? { anthropicApiUrl: spec.baseUrl } : {}),
    })
  }
  const { ChatOpenAI } = await import('@langchain/openai')
  return new ChatOpenAI({
    ...common,
    // Local OpenAI-compatible servers take any key; the SDK refuses to start without one.
    apiKey: spec.apiKey ?? 'not-needed',
    streamUsage: true,
    timeout: settings.timeoutMs,
    configuration: spec.baseUrl ? { baseURL: spec.baseUrl } : {},
  })
}
