// `@molecule/adapter-langgraph`: the default agent of a Molecule workspace (`runtime: langgraph`).
export { LangGraphAdapter, LangGraphAdapter as Adapter, type LangGraphAdapterOptions } from './adapter.js'
export { AgentState } from './agent-state.js'
export { createChatModel, type ModelSettings } from './chat-model.js'
export { LangGraphAdapterError } from './errors.js'
export {
  createLangGraphExecutor,
  EMPTY_INPUT_REPLY,
  type LangGraphExecutorOptions,
  NO_RESPONSE_REPLY,
  type ReplyRedactor,
} from './executor.js'
export { type Env, keyOptional, type ModelSpec, PROVIDER_NAMES, parseModelSpec } from './model-spec.js'
export { AGENT_ERROR_PREFIX, providerErrorReply, retryAfterSeconds } from './provider-errors.js'
export { DEFAULT_RECURSION_LIMIT, langGraphConfigSchema, readModelSettings } from './settings.js'
export type { TokenUsage } from './stream-turn.js'
export type { ToolTraceEntry } from './tool-trace.js'
