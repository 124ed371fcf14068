// `@molecule/adapter-langgraph/testing`: a scripted chat model for tests and benchmarks (never a provider call).
export {
  ScriptedChatModel,
  type ScriptedChatModelFields,
  type ScriptedReply,
  type ScriptedTurn,
} from './scripted-chat-model.js'
